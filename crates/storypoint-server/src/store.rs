//! Storage behind one trait, [`Store`], and the types both stores share; which store a
//! `--db` names ([`Database`]).
//!
//! One job per file: `sqlite` (one region on one machine), `postgres` (several collectors
//! on one database), `schema` (both schemas, the statements they share and the dashboard's
//! counts), `writer` (the queue in front of each store's writer thread), `links` (what an
//! import of a link table does) and `tls` (TLS to PostgreSQL).
use storypoint_core::{LinkCode, LinkEntry, Story};

mod links;
mod postgres;
mod schema;
mod sqlite;
mod tls;
mod writer;
pub use links::{ImportReport, LinkRow, NewLink, Planned, organisation_key, plan, same_organisation_twice};
pub use postgres::PostgresStore;
pub use sqlite::{SqliteStore, backup};

/// Where the stories are kept, as given to `--db`: a SQLite file, or a PostgreSQL URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (created when missing): one collector, one region.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL server (`postgres://user@host:port/name`): any number of collectors.
    Postgres(String),
}

impl Database {
    /// Reads `--db`: a `postgres://` or `postgresql://` URL, otherwise a file path.
    pub fn parse(db: &std::ffi::OsStr) -> Database {
        match db.to_str() {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => Database::Postgres(url.to_string()),
            _ => Database::Sqlite(db.into()),
        }
    }

    /// Opens the store (running migrations), with an optional size limit (SQLite only:
    /// PostgreSQL's own administrators set its limits).
    pub fn open(&self, max_bytes: Option<u64>) -> Result<std::sync::Arc<dyn Store>, StoreError> {
        Ok(match self {
            Database::Sqlite(path) => std::sync::Arc::new(SqliteStore::open_with_limit(path, max_bytes)?),
            Database::Postgres(url) => std::sync::Arc::new(PostgresStore::open(url)?),
        })
    }
}

impl std::fmt::Display for Database {
    /// The file, or the URL without its password (`user:password@` or `?password=`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => {
                let (address, query) = url.split_once('?').map_or((url.as_str(), None), |(a, q)| (a, Some(q)));
                match (address.find("://"), address.rfind('@')) {
                    (Some(scheme), Some(at)) if at > scheme => {
                        let user = address[scheme + 3..at].split(':').next().unwrap_or_default();
                        write!(f, "{}{user}@{}", &address[..scheme + 3], &address[at + 1..])?;
                    }
                    _ => f.write_str(address)?,
                }
                let kept: Vec<&str> = query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.starts_with("password=")).collect();
                if !kept.is_empty() {
                    write!(f, "?{}", kept.join("&"))?;
                }
                Ok(())
            }
        }
    }
}

/// What can go wrong in storage. None of it is the teller's fault.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The disk (or the database's size limit) is full: nothing was written; try again
    /// when there is space.
    #[error("the collector's storage is full; the story was not stored, please try again later")]
    DiskFull,
    /// The database is busy or locked by another process for too long.
    #[error("the database is busy; please try again")]
    Busy,
    /// Any other database fault.
    #[error("database error: {0}")]
    Database(String),
    /// The writer thread has stopped (the server is shutting down).
    #[error("the collector is shutting down")]
    Stopped,
    /// The database server cannot be reached (PostgreSQL down or restarting): nothing was
    /// written; try again.
    #[error("the database server cannot be reached ({0}); please try again")]
    Unreachable(String),
    /// TLS to the database failed or cannot be set up as the `--db` URL asks (`sslmode`,
    /// `sslrootcert`): a certificate refused, no TLS on the server, an unreadable root file.
    /// The operator must change the URL or the server; trying again will not help.
    #[error("TLS to the database: {0} (see sslmode and sslrootcert in the --db URL)")]
    Tls(String),
}

/// A validated story ready to store.
#[derive(Clone, Debug)]
pub struct NewStory {
    /// The idempotency key (a UUID v4): the same key is stored once.
    pub submission_id: String,
    /// The validated story (prefilled answers included).
    pub story: Story,
    /// The teller's language code.
    pub lang: String,
    /// The link code, only when the server's link table knows it.
    pub link: Option<String>,
    /// The day it arrived, `YYYY-MM-DD`: no exact time is kept, so it cannot identify a teller.
    pub received_on: String,
    /// The recording's file name in the audio folder, for a spoken story.
    pub audio: Option<String>,
    /// The campaign it was told in.
    pub campaign: String,
}

/// The outcome of storing a story.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inserted {
    /// Stored now, with this id.
    Created(i64),
    /// Stored before (same submission id), with this id.
    Duplicate(i64),
}

/// A stored story, as exported.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredStory {
    /// The story's id.
    pub id: i64,
    /// The day it arrived.
    pub received_on: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Questionnaire version.
    pub version: u32,
    /// The teller's language.
    pub lang: String,
    /// The link code it came through, if known.
    pub link: Option<String>,
    /// The answers by question id, prefilled ones included.
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// The recording's file name in the audio folder, for a spoken story.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<String>,
    /// The campaign it was told in.
    #[serde(default = "default_campaign")]
    pub campaign: String,
}

fn default_campaign() -> String {
    DEFAULT_CAMPAIGN.into()
}

/// Counts of stories, for the coordinators.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Counts {
    /// All stories.
    pub total: i64,
    /// Per link: every link, with zero when nothing came in through it.
    pub per_link: Vec<LinkCount>,
    /// Stories that came without a (known) link.
    pub without_link: i64,
    /// Per perspective value (`null` key: not answered).
    pub per_perspective: Vec<(Option<String>, i64)>,
    /// Per age group value.
    pub per_age_group: Vec<(Option<String>, i64)>,
    /// Per day, oldest first.
    pub per_day: Vec<(String, i64)>,
}

/// Stories through one link.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LinkCount {
    /// The link code.
    pub code: String,
    /// Its organisation.
    pub organisation: String,
    /// Stories that came in through it.
    pub stories: i64,
}

/// A region's campaign: what it offers and when stories are accepted.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct Campaign {
    /// The campaign's short name in URLs (`twente-2027`; `default` for the collector's own).
    pub slug: String,
    /// Its name for people ("Vertelpunt Twente 2027").
    pub name: Option<String>,
    /// The questionnaire id and version it uses (the collector's, when it was made).
    pub questionnaire: Option<(String, u32)>,
    /// The theme the region focuses on, for the coordinators.
    pub theme: Option<String>,
    /// The eliciting questions (prompt values) it offers; `None`: all of them.
    pub prompts: Option<Vec<String>>,
    /// Closed by hand (`storypoint campaign close`).
    pub open: bool,
    /// Opens at the start of this day (`YYYY-MM-DD`), if set.
    pub opens_on: Option<String>,
    /// Closes at the end of this day (`YYYY-MM-DD`), if set.
    pub closes_at: Option<String>,
    /// The day it was closed by hand (`storypoint campaign close`), if it was.
    pub closed_on: Option<String>,
    /// The page its links point to (`https://…/vertel`), kept from the first
    /// `--base-url` given.
    pub base_url: Option<String>,
    /// The SHA-256 (hex) of the campaign's own admin token, if it has one.
    #[serde(skip)]
    pub admin_hash: Option<String>,
}

impl Campaign {
    /// Whether `slug` can name a campaign: 1–40 lowercase letters, digits and dashes. Anything
    /// else never reaches the database (a 404 on the public paths).
    pub fn is_slug(slug: &str) -> bool {
        !slug.is_empty() && slug.len() <= 40 && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    }

    /// A campaign never made with `storypoint campaign create`: open, with no limits (the
    /// default one, until it is closed or given dates).
    pub fn unmade(slug: &str) -> Campaign {
        Campaign { slug: slug.into(), open: true, ..Campaign::default() }
    }

    /// Where the campaign stands on `today` (`YYYY-MM-DD`), as a teller sees it.
    pub fn window(&self, today: &str) -> Window {
        if let Some(first) = self.opens_on.as_deref().filter(|first| today < *first) {
            return Window::NotYetOpen(first.to_string());
        }
        match self.last_day() {
            Some(last) if !self.open || today > last.as_str() => Window::Closed(Some(last)),
            None if !self.open => Window::Closed(None),
            _ => Window::Open,
        }
    }

    /// The last day stories could be told: the closing day, or the day it was closed by
    /// hand when that came first.
    fn last_day(&self) -> Option<String> {
        let by_hand = self.closed_on.clone().filter(|_| !self.open);
        match (self.closes_at.clone(), by_hand) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether a story arriving on `today` (`YYYY-MM-DD`) is accepted: while the campaign
    /// is open, and for a day after it closed, for tellers who were writing when it closed.
    /// (A campaign closed by hand before this kept its day is closed at once.)
    pub fn accepts_on(&self, today: &str) -> bool {
        match self.window(today) {
            Window::Open => true,
            Window::NotYetOpen(_) | Window::Closed(None) => false,
            Window::Closed(Some(last)) => day_before(today).is_some_and(|yesterday| last >= yesterday),
        }
    }
}

/// A work-session team's observation on an insight view: what the team sees, what it might
/// mean, and the stories marked typical that go with it. Coordinators' words only: no
/// author and no time are kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Observation {
    /// Its id in the store (0 before it is saved).
    pub id: i64,
    /// The campaign it is about; `None`: every campaign together (the collector's view).
    pub campaign: Option<String>,
    /// The insight view it was made on: the query string of `/admin/inzicht`.
    pub view: String,
    /// What the team sees.
    pub text: String,
    /// What it might mean: two or more readings.
    pub interpretations: Vec<String>,
    /// The typical stories that go with it (store ids).
    pub stories: Vec<i64>,
}

/// Where a campaign stands for a teller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Window {
    /// Stories are told now.
    Open,
    /// It opens on this day.
    NotYetOpen(String),
    /// It closed after this day (unknown for a campaign closed by hand long ago).
    Closed(Option<String>),
}

/// The day before `day` (`YYYY-MM-DD`).
fn day_before(day: &str) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(day, &format).ok()?.previous_day()?;
    date.format(&format).ok()
}

/// The campaign every collector has: stories posted to `/api/v1/stories`.
pub const DEFAULT_CAMPAIGN: &str = "default";

/// The campaign found, or the default one when it was never made (every collector has it).
fn default_if_unmade(slug: &str, found: Option<Campaign>) -> Option<Campaign> {
    found.or_else(|| (slug == DEFAULT_CAMPAIGN).then(|| Campaign::unmade(slug)))
}

/// The campaigns made, the default one first (also when it was never made), the others by
/// slug (bytewise, as SQLite and PostgreSQL's "C" order them).
fn default_first(mut made: Vec<Campaign>) -> Vec<Campaign> {
    made.sort_by(|a, b| (a.slug != DEFAULT_CAMPAIGN, &a.slug).cmp(&(b.slug != DEFAULT_CAMPAIGN, &b.slug)));
    if !made.iter().any(|c| c.slug == DEFAULT_CAMPAIGN) {
        made.insert(0, Campaign::unmade(DEFAULT_CAMPAIGN));
    }
    made
}

/// Everything the collector and the command line keep: [`SqliteStore`] for a region on one
/// machine, [`PostgresStore`] for several collectors on one database. The HTTP API and the
/// command line see only this trait.
pub trait Store: Send + Sync + 'static {
    /// Stores a story exactly once per submission id; returns when it is durable.
    fn insert_story(&self, story: NewStory) -> Result<Inserted, StoreError>;
    /// The id of the story with this submission id, if stored.
    fn story_id(&self, submission_id: &str) -> Result<Option<i64>, StoreError>;
    /// All stories, oldest first.
    fn stories(&self) -> Result<Vec<StoredStory>, StoreError> {
        self.stories_after(0)
    }
    /// The stories with an id above `after`, oldest first (to catch up on new ones).
    fn stories_after(&self, after: i64) -> Result<Vec<StoredStory>, StoreError>;
    /// The stories with these ids, oldest first; unknown ids are skipped.
    fn stories_with_ids(&self, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError>;
    /// Counts for the dashboard: of one campaign, or of all (`None`).
    fn counts(&self, campaign: Option<&str>) -> Result<Counts, StoreError>;
    /// One link of a campaign's table (not a retired one).
    fn link(&self, campaign: &str, code: &LinkCode) -> Result<Option<LinkEntry>, StoreError>;
    /// The campaign a (not retired) link belongs to, with the link: codes are unique across
    /// the collector, so a code alone finds its campaign (the landing page).
    fn find_link(&self, code: &LinkCode) -> Result<Option<(String, LinkEntry)>, StoreError>;
    /// A campaign's links (not the retired ones), in the order they were made.
    fn links(&self, campaign: &str) -> Result<Vec<LinkRow>, StoreError>;
    /// Imports a campaign's organisation table, all in one transaction: a link for each
    /// new organisation, the changed ones updated under their code (see [`plan`]).
    fn import_links(&self, campaign: &str, rows: &[NewLink]) -> Result<ImportReport, StoreError>;
    /// Ends a link: its code then behaves as unknown; its stories keep their organisation.
    /// Returns the campaign and organisation it was for, or `None` when there is no such
    /// active link.
    fn retire_link(&self, code: &LinkCode) -> Result<Option<(String, String)>, StoreError>;
    /// The campaign's state; a campaign never made is open, with no limits (the default one).
    fn campaign(&self, slug: &str) -> Result<Campaign, StoreError> {
        Ok(self.find_campaign(slug)?.unwrap_or_else(|| Campaign::unmade(slug)))
    }
    /// The campaign, only if it was made (or is the default one).
    fn find_campaign(&self, slug: &str) -> Result<Option<Campaign>, StoreError>;
    /// Every campaign made, the default one first (how many stories each has: [`Store::counts`]).
    fn campaigns(&self) -> Result<Vec<Campaign>, StoreError>;
    /// Saves the campaign's state.
    fn set_campaign(&self, campaign: &Campaign) -> Result<(), StoreError>;
    /// A stored setting (such as the admin token's hash).
    fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Stores a setting.
    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Stores a setting only if it has none yet; returns the value it has now (another
    /// process's, when that one was first).
    fn add_setting(&self, key: &str, value: &str) -> Result<String, StoreError>;
    /// Deletes a story; returns its submission id (to delete its recording too), or `None`
    /// when there is no such story.
    fn delete_story(&self, id: i64) -> Result<Option<String>, StoreError>;
    /// Keeps a questionnaire version the collector serves (its JSON), so stories told in it
    /// can be read against it later; returns the definition kept for this id and version:
    /// the earlier one, when the version was kept before.
    fn keep_questionnaire(&self, id: &str, version: u32, definition: &str) -> Result<String, StoreError>;
    /// Every questionnaire version kept, as JSON.
    fn questionnaires(&self) -> Result<Vec<String>, StoreError>;
    /// The observations of one campaign (`Some`), or every one (`None`), oldest first.
    fn observations(&self, campaign: Option<&str>) -> Result<Vec<Observation>, StoreError>;
    /// The observation with this id, if there is one.
    fn observation(&self, id: i64) -> Result<Option<Observation>, StoreError>;
    /// Saves a new observation (id 0; returns its id), or changes the words, view and
    /// stories of the one with its id (its campaign stays; `None` when there is none).
    fn save_observation(&self, observation: &Observation) -> Result<Option<i64>, StoreError>;
    /// Deletes an observation; whether there was one.
    fn delete_observation(&self, id: i64) -> Result<bool, StoreError>;
    /// The stories marked typical for the work-session report: of one campaign (`Some`), or
    /// of every one (`None`), by id.
    fn typical_stories(&self, campaign: Option<&str>) -> Result<Vec<i64>, StoreError>;
    /// Marks story `story` of `campaign` as typical, or no longer.
    fn set_typical(&self, story: i64, campaign: &str, typical: bool) -> Result<(), StoreError>;
}

/// The settings key that counts deleted stories: readers that keep stories in memory (the
/// insight pages) start over when it changes, also when another process deleted.
pub const DELETIONS: &str = "deletions";

/// An observation's interpretations or stories as stored (a JSON array).
fn json_list<T: serde::Serialize>(items: &[T]) -> Result<String, StoreError> {
    serde_json::to_string(items).map_err(|e| StoreError::Database(e.to_string()))
}

/// An observation from its stored columns (`schema::OBSERVATION_COLUMNS`, in that order).
fn observation_from_row(
    id: i64,
    campaign: Option<String>,
    view: String,
    text: String,
    interpretations: &str,
    stories: &str,
) -> Result<Observation, StoreError> {
    let bad = |what: &str, e: serde_json::Error| StoreError::Database(format!("stored {what} of observation {id}: {e}"));
    Ok(Observation {
        id,
        campaign,
        view,
        text,
        interpretations: serde_json::from_str(interpretations).map_err(|e| bad("interpretations", e))?,
        stories: serde_json::from_str(stories).map_err(|e| bad("stories", e))?,
    })
}

/// The answers of a story as a JSON object by question id.
pub fn answers_json(story: &Story) -> serde_json::Map<String, serde_json::Value> {
    story.answers.iter().map(|a| (a.question.clone(), serde_json::to_value(&a.answer).unwrap_or(serde_json::Value::Null))).collect()
}

fn link_from_row(code: String, organisation: String, prefill: String) -> Result<LinkEntry, StoreError> {
    let code = LinkCode::parse(&code).map_err(|e| StoreError::Database(format!("stored link code `{code}`: {e}")))?;
    let prefill: Vec<(String, String)> = serde_json::from_str(&prefill).map_err(|e| StoreError::Database(format!("stored prefill of `{code}`: {e}")))?;
    Ok(LinkEntry { code, organisation, prefill })
}

#[cfg(test)]
mod database_tests {
    use super::Database;

    #[test]
    fn db_is_a_postgres_url_or_a_file_and_its_name_never_shows_the_password() {
        let url = Database::parse("postgres://storypoint:geheim@db.internal:5432/verhalen".as_ref());
        assert_eq!(url, Database::Postgres("postgres://storypoint:geheim@db.internal:5432/verhalen".into()));
        assert_eq!(url.to_string(), "postgres://storypoint@db.internal:5432/verhalen");
        assert!(matches!(Database::parse("postgresql://x@h/d".as_ref()), Database::Postgres(_)));
        assert_eq!(Database::parse("storypoint.db".as_ref()), Database::Sqlite("storypoint.db".into()));
        assert_eq!(Database::parse("postgres.db".as_ref()).to_string(), "postgres.db");
        let query = Database::parse("postgres://db.internal/verhalen?user=sp&password=geheim&sslmode=disable".as_ref());
        assert_eq!(query.to_string(), "postgres://db.internal/verhalen?user=sp&sslmode=disable");
    }
}
