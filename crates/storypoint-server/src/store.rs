//! Storage behind one trait, [`Store`], with the SQLite implementation [`SqliteStore`].
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: when [`Store::insert_story`] returns,
//! the story is on disk. Inserts go through one writer thread that commits them in groups
//! (group commit), so many tellers at once cost one fsync per group, not one each.
use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;

use rusqlite::{Connection, OptionalExtension, params};
use storypoint_core::{LinkCode, LinkEntry, Story};

mod links;
mod postgres;
mod tls;
pub use links::{ImportReport, LinkRow, NewLink, Planned, organisation_key, plan, same_organisation_twice};
pub use postgres::PostgresStore;

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

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Database(error.to_string()),
        }
    }
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

/// The campaigns made (default first), with the default one in front when it was never made.
fn default_first(mut made: Vec<Campaign>) -> Vec<Campaign> {
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
}

/// Stories per link of a campaign (`?1`; every campaign when NULL), in the order made: the
/// active links, and retired ones only for the stories that came through them.
const PER_LINK: &str = "SELECT l.code, l.organisation, COUNT(s.id) FROM links l LEFT JOIN stories s ON s.link = l.code
     WHERE (?1 IS NULL OR l.campaign = ?1) GROUP BY l.code HAVING MAX(l.retired) = 0 OR COUNT(s.id) > 0 ORDER BY MIN(l.created)";

/// The prefill of a row as stored.
fn prefill_json(row: &NewLink) -> Result<String, StoreError> {
    serde_json::to_string(&row.prefill).map_err(|e| StoreError::Database(e.to_string()))
}

/// A campaign's active links with their contacts, in the order made.
fn active_links(c: &Connection, campaign: &str) -> Result<Vec<LinkRow>, StoreError> {
    let mut statement = c.prepare("SELECT code, organisation, prefill, contact FROM links WHERE campaign = ?1 AND retired = 0 ORDER BY created")?;
    let rows = statement.query_map([campaign], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?;
    let mut links = Vec::new();
    for row in rows {
        let (code, organisation, prefill, contact) = row?;
        links.push(LinkRow { entry: link_from_row(code, organisation, prefill)?, contact });
    }
    Ok(links)
}

/// Stories selected by `filter` (a `WHERE … ORDER BY …` tail with its parameters).
fn select_stories(c: &Connection, filter: &str, params: impl rusqlite::Params) -> Result<Vec<StoredStory>, StoreError> {
    let mut statement =
        c.prepare(&format!("SELECT id, received_on, questionnaire, version, lang, link, answers, audio, campaign FROM stories {filter}"))?;
    let rows = statement.query_map(params, |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get::<_, String>(6)?, row.get(7)?, row.get(8)?))
    })?;
    let mut stories = Vec::new();
    for row in rows {
        let (id, received_on, questionnaire, version, lang, link, answers, audio, campaign) = row?;
        let answers = serde_json::from_str(&answers)
            .map_err(|e| StoreError::Database(format!("stored answers of story {id}: {e}")))?;
        stories.push(StoredStory { id, received_on, questionnaire, version, lang, link, answers, audio, campaign });
    }
    Ok(stories)
}

/// Copies the database at `db` to `out` while it is in use, with SQLite's online backup API
/// (a consistent snapshot; writers are not stopped), then checks the copy. Returns the
/// number of stories in the copy.
pub fn backup(db: &Path, out: &Path) -> Result<i64, StoreError> {
    if out.exists() {
        return Err(StoreError::Database(format!("{} exists already; choose a new file", out.display())));
    }
    let source = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut copy = Connection::open(out)?;
    rusqlite::backup::Backup::new(&source, &mut copy)?.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
    let check: String = copy.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(StoreError::Database(format!("the copy failed its integrity check: {check}")));
    }
    Ok(copy.query_row("SELECT COUNT(*) FROM stories", [], |row| row.get(0))?)
}

const CAMPAIGN_COLUMNS: &str = "slug, open, closes_at, name, questionnaire, version, theme, prompts, opens_on, admin_hash, closed_on, base_url";

fn campaign_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Campaign> {
    let questionnaire: Option<String> = r.get(4)?;
    let version: Option<u32> = r.get(5)?;
    let prompts: Option<String> = r.get(7)?;
    Ok(Campaign {
        slug: r.get(0)?,
        open: r.get(1)?,
        closes_at: r.get(2)?,
        name: r.get(3)?,
        questionnaire: questionnaire.zip(version),
        theme: r.get(6)?,
        prompts: prompts.and_then(|p| serde_json::from_str(&p).ok()),
        opens_on: r.get(8)?,
        admin_hash: r.get(9)?,
        closed_on: r.get(10)?,
        base_url: r.get(11)?,
    })
}

/// The migrations, in order; `PRAGMA user_version` says how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: stories, links, campaigns, settings.
    "CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        submission_id TEXT NOT NULL,
        questionnaire TEXT NOT NULL,
        version INTEGER NOT NULL,
        lang TEXT NOT NULL,
        link TEXT,
        organisation TEXT,
        perspective TEXT,
        age_group TEXT,
        received_on TEXT NOT NULL,
        answers TEXT NOT NULL
    );
    CREATE UNIQUE INDEX stories_submission_id ON stories (submission_id);
    CREATE INDEX stories_link ON stories (link);
    CREATE INDEX stories_perspective ON stories (perspective);
    CREATE INDEX stories_age_group ON stories (age_group);
    CREATE INDEX stories_organisation ON stories (organisation);
    CREATE INDEX stories_received_on ON stories (received_on);
    CREATE INDEX stories_questionnaire ON stories (questionnaire, version);
    CREATE TABLE links (
        code TEXT PRIMARY KEY,
        organisation TEXT NOT NULL,
        contact TEXT,
        prefill TEXT NOT NULL,
        identity TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL
    );
    CREATE TABLE campaigns (slug TEXT PRIMARY KEY, open INTEGER NOT NULL, closes_at TEXT);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 2: a spoken story names its recording (a file in the audio folder).
    "ALTER TABLE stories ADD COLUMN audio TEXT;",
    // 3: story ids are never used again after a story is deleted (AUTOINCREMENT), so what
    // was known about a deleted story can never be taken for a new one.
    "CREATE TABLE stories_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        submission_id TEXT NOT NULL,
        questionnaire TEXT NOT NULL,
        version INTEGER NOT NULL,
        lang TEXT NOT NULL,
        link TEXT,
        organisation TEXT,
        perspective TEXT,
        age_group TEXT,
        received_on TEXT NOT NULL,
        answers TEXT NOT NULL,
        audio TEXT
    );
    INSERT INTO stories_v3 SELECT id, submission_id, questionnaire, version, lang, link, organisation, perspective, age_group,
        received_on, answers, audio FROM stories;
    DROP TABLE stories;
    ALTER TABLE stories_v3 RENAME TO stories;
    CREATE UNIQUE INDEX stories_submission_id ON stories (submission_id);
    CREATE INDEX stories_link ON stories (link);
    CREATE INDEX stories_perspective ON stories (perspective);
    CREATE INDEX stories_age_group ON stories (age_group);
    CREATE INDEX stories_organisation ON stories (organisation);
    CREATE INDEX stories_received_on ON stories (received_on);
    CREATE INDEX stories_questionnaire ON stories (questionnaire, version);",
    // 4: campaigns of their own: every story knows its campaign; a campaign has a name,
    // a questionnaire, a theme, the prompts it offers and an opening day.
    "ALTER TABLE stories ADD COLUMN campaign TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX stories_campaign ON stories (campaign);
    ALTER TABLE campaigns ADD COLUMN name TEXT;
    ALTER TABLE campaigns ADD COLUMN questionnaire TEXT;
    ALTER TABLE campaigns ADD COLUMN version INTEGER;
    ALTER TABLE campaigns ADD COLUMN theme TEXT;
    ALTER TABLE campaigns ADD COLUMN prompts TEXT;
    ALTER TABLE campaigns ADD COLUMN opens_on TEXT;",
    // 5: every campaign has its own link table.
    "ALTER TABLE links ADD COLUMN campaign TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX links_campaign ON links (campaign);",
    // 6: a campaign's own admin token (its SHA-256): that region's coordinators see its
    // stories only.
    "ALTER TABLE campaigns ADD COLUMN admin_hash TEXT;",
    // 7: every questionnaire version served, so older stories are read against their own.
    "CREATE TABLE questionnaires (id TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL, PRIMARY KEY (id, version));",
    // 8: a campaign keeps its links' page and the day it was closed by hand; a link can be
    // retired. (`links.identity` is the code from now on: an import finds an organisation
    // by its name, see `store::links`.)
    "ALTER TABLE campaigns ADD COLUMN closed_on TEXT;
    ALTER TABLE campaigns ADD COLUMN base_url TEXT;
    ALTER TABLE links ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;",
];

/// The settings key that counts deleted stories: readers that keep stories in memory (the
/// insight pages) start over when it changes, also when another process deleted.
pub const DELETIONS: &str = "deletions";

/// The SQLite store: one writer thread (group commit) and a few reader connections.
pub struct SqliteStore {
    writer: Mutex<mpsc::Sender<WriteRequest>>,
    readers: Mutex<Vec<Connection>>,
    path: std::path::PathBuf,
}

struct WriteRequest {
    story: NewStory,
    reply: mpsc::Sender<Result<Inserted, StoreError>>,
}

/// Most stories committed in one transaction.
const GROUP_LIMIT: usize = 512;

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    Ok(connection)
}

impl SqliteStore {
    /// Opens (or creates) the database at `path` and runs any migrations not yet run.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_with_limit(path, None)
    }

    /// Like [`SqliteStore::open`], with a ceiling on the database size in bytes: stories
    /// that would grow it further are refused as [`StoreError::DiskFull`] (a 503), so a
    /// flood cannot fill the disk; nothing already stored is touched.
    pub fn open_with_limit(path: &Path, max_bytes: Option<u64>) -> Result<SqliteStore, StoreError> {
        let mut connection = open_connection(path)?;
        migrate(&mut connection)?;
        if let Some(max_bytes) = max_bytes {
            let page_size: i64 = connection.pragma_query_value(None, "page_size", |row| row.get(0))?;
            let pages = (max_bytes / page_size.max(512) as u64).max(1);
            connection.pragma_update(None, "max_page_count", pages as i64)?;
        }
        let (sender, receiver) = mpsc::channel::<WriteRequest>();
        thread::Builder::new()
            .name("storypoint-writer".into())
            .spawn({
                let path = path.to_path_buf();
                move || writer_loop(connection, receiver, &path)
            })
            .map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(SqliteStore { writer: Mutex::new(sender), readers: Mutex::new(Vec::new()), path: path.to_path_buf() })
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let pooled = self.readers.lock().map_err(|_| StoreError::Stopped)?.pop();
        let connection = match pooled {
            Some(connection) => connection,
            None => open_connection(&self.path)?,
        };
        let result = f(&connection);
        if let Ok(mut readers) = self.readers.lock() {
            if readers.len() < 8 {
                readers.push(connection);
            }
        }
        result
    }

    /// Runs `f` in a write transaction on a connection of its own (for the rare writes
    /// outside the intake: links, campaign, settings).
    fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut connection = open_connection(&self.path)?;
        let transaction = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&transaction)?;
        transaction.commit()?;
        blur_times(&self.path);
        Ok(value)
    }
}

fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let transaction = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let done: i64 = transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done > MIGRATIONS.len() {
        return Err(StoreError::Database(format!(
            "this database has schema version {done}, newer than this storypoint ({}); use a newer storypoint",
            MIGRATIONS.len()
        )));
    }
    for migration in &MIGRATIONS[done..] {
        transaction.execute_batch(migration)?;
    }
    transaction.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
    transaction.commit()?;
    Ok(())
}

/// Takes what is waiting, stores it in one transaction, answers everyone after the commit.
fn writer_loop(mut connection: Connection, receiver: mpsc::Receiver<WriteRequest>, path: &Path) {
    while let Some(group) = next_group(&receiver) {
        let outcome = insert_group(&mut connection, &group);
        blur_times(path);
        answer_group(group, outcome);
    }
}

/// Sets the times of the database and its journal files to today's midnight after a write:
/// a file's modification time would otherwise tell when the last story came in.
fn blur_times(path: &Path) {
    // The folder's times change when SQLite makes or removes a journal file (best effort:
    // the folder may belong to another user).
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        let _ = crate::day_times::blur(dir);
    }
    let mut files = vec![path.to_path_buf()];
    // Not `-shm`: SQLite's shared index of the WAL (no stories in it), mapped into memory by
    // every connection; setting its times makes other processes miss each other's commits.
    for suffix in ["-wal", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        files.push(name.into());
    }
    for file in files {
        if let Err(error) = crate::day_times::blur(&file) {
            eprintln!("storypoint: could not set the day on {}: {error}", file.display());
        }
    }
}

/// The next group of waiting stories (at least one; `None` when the store is dropped).
fn next_group(receiver: &mpsc::Receiver<WriteRequest>) -> Option<Vec<WriteRequest>> {
    let mut group = vec![receiver.recv().ok()?];
    while group.len() < GROUP_LIMIT {
        match receiver.try_recv() {
            Ok(request) => group.push(request),
            Err(_) => break,
        }
    }
    Some(group)
}

/// Answers every teller of a group, after its commit (or its failure).
fn answer_group(group: Vec<WriteRequest>, outcome: Result<Vec<Inserted>, StoreError>) {
    match outcome {
        Ok(outcomes) => {
            for (request, outcome) in group.into_iter().zip(outcomes) {
                let _ = request.reply.send(Ok(outcome));
            }
        }
        Err(error) => {
            let message = error.to_string();
            for request in group {
                let error = match &error {
                    StoreError::DiskFull => StoreError::DiskFull,
                    StoreError::Busy => StoreError::Busy,
                    StoreError::Unreachable(reason) => StoreError::Unreachable(reason.clone()),
                    StoreError::Tls(reason) => StoreError::Tls(reason.clone()),
                    _ => StoreError::Database(message.clone()),
                };
                let _ = request.reply.send(Err(error));
            }
        }
    }
}

/// Hands a story to the writer thread and waits until it is committed.
fn send_to_writer(writer: &Mutex<mpsc::Sender<WriteRequest>>, story: NewStory) -> Result<Inserted, StoreError> {
    let (reply, answer) = mpsc::channel();
    writer.lock().map_err(|_| StoreError::Stopped)?.send(WriteRequest { story, reply }).map_err(|_| StoreError::Stopped)?;
    answer.recv().map_err(|_| StoreError::Stopped)?
}

fn insert_group(connection: &mut Connection, group: &[WriteRequest]) -> Result<Vec<Inserted>, StoreError> {
    let transaction = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(group.len());
    {
        let mut insert = transaction.prepare_cached(
            "INSERT INTO stories (submission_id, questionnaire, version, lang, link, organisation, perspective, age_group, received_on, answers, audio, campaign)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (submission_id) DO NOTHING",
        )?;
        let mut existing = transaction.prepare_cached("SELECT id FROM stories WHERE submission_id = ?1")?;
        for request in group {
            let new = &request.story;
            let story = &new.story;
            let text = |id: &str| story.get(id).and_then(|a| a.as_str()).map(str::to_owned);
            let answers = serde_json::to_string(&answers_json(story)).map_err(|e| StoreError::Database(e.to_string()))?;
            let changed = insert.execute(params![
                new.submission_id,
                story.questionnaire,
                story.version,
                new.lang,
                new.link,
                text("organisation"),
                text("perspective"),
                text("age_group"),
                new.received_on,
                answers,
                new.audio,
                new.campaign,
            ])?;
            let id: i64 = existing.query_row([&new.submission_id], |row| row.get(0))?;
            outcomes.push(if changed == 1 { Inserted::Created(id) } else { Inserted::Duplicate(id) });
        }
    }
    transaction.commit()?;
    Ok(outcomes)
}

/// The answers of a story as a JSON object by question id.
pub fn answers_json(story: &Story) -> serde_json::Map<String, serde_json::Value> {
    story
        .answers
        .iter()
        .map(|a| (a.question.clone(), serde_json::to_value(&a.answer).unwrap_or(serde_json::Value::Null)))
        .collect()
}

fn link_from_row(code: String, organisation: String, prefill: String) -> Result<LinkEntry, StoreError> {
    let code = LinkCode::parse(&code).map_err(|e| StoreError::Database(format!("stored link code `{code}`: {e}")))?;
    let prefill: Vec<(String, String)> =
        serde_json::from_str(&prefill).map_err(|e| StoreError::Database(format!("stored prefill of `{code}`: {e}")))?;
    Ok(LinkEntry { code, organisation, prefill })
}

impl Store for SqliteStore {
    fn insert_story(&self, story: NewStory) -> Result<Inserted, StoreError> {
        send_to_writer(&self.writer, story)
    }

    fn story_id(&self, submission_id: &str) -> Result<Option<i64>, StoreError> {
        self.read(|c| {
            Ok(c.query_row("SELECT id FROM stories WHERE submission_id = ?1", [submission_id], |row| row.get(0))
                .optional()?)
        })
    }

    fn stories_after(&self, after: i64) -> Result<Vec<StoredStory>, StoreError> {
        self.read(|c| select_stories(c, "WHERE id > ?1 ORDER BY id", [after]))
    }

    fn stories_with_ids(&self, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError> {
        // Through a JSON array, so any number of ids is one statement with one parameter.
        let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        self.read(|c| select_stories(c, "WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id", [ids]))
    }

    fn counts(&self, campaign: Option<&str>) -> Result<Counts, StoreError> {
        // `?1 IS NULL`: every campaign.
        self.read(|c| {
            let total: i64 =
                c.query_row("SELECT COUNT(*) FROM stories WHERE (?1 IS NULL OR campaign = ?1)", [campaign], |row| row.get(0))?;
            let without_link: i64 = c.query_row(
                "SELECT COUNT(*) FROM stories WHERE link IS NULL AND (?1 IS NULL OR campaign = ?1)",
                [campaign],
                |row| row.get(0),
            )?;
            let mut per_link = Vec::new();
            let mut statement = c.prepare(PER_LINK)?;
            for row in statement.query_map([campaign], |row| Ok(LinkCount { code: row.get(0)?, organisation: row.get(1)?, stories: row.get(2)? }))? {
                per_link.push(row?);
            }
            let grouped = |column: &str| -> Result<Vec<(Option<String>, i64)>, StoreError> {
                let mut statement = c.prepare(&format!(
                    "SELECT {column}, COUNT(*) FROM stories WHERE (?1 IS NULL OR campaign = ?1) GROUP BY {column} ORDER BY {column}"
                ))?;
                let rows = statement.query_map([campaign], |row| Ok((row.get(0)?, row.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            };
            let per_perspective = grouped("perspective")?;
            let per_age_group = grouped("age_group")?;
            let per_day = grouped("received_on")?.into_iter().map(|(day, n)| (day.unwrap_or_default(), n)).collect();
            Ok(Counts { total, per_link, without_link, per_perspective, per_age_group, per_day })
        })
    }

    fn link(&self, campaign: &str, code: &LinkCode) -> Result<Option<LinkEntry>, StoreError> {
        Ok(self.find_link(code)?.filter(|(of, _)| of == campaign).map(|(_, entry)| entry))
    }

    fn find_link(&self, code: &LinkCode) -> Result<Option<(String, LinkEntry)>, StoreError> {
        self.read(|c| {
            let row: Option<(String, String, String, String)> = c
                .query_row("SELECT code, organisation, prefill, campaign FROM links WHERE code = ?1 AND retired = 0", [code.as_str()], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .optional()?;
            row.map(|(code, organisation, prefill, campaign)| Ok((campaign, link_from_row(code, organisation, prefill)?))).transpose()
        })
    }

    fn links(&self, campaign: &str) -> Result<Vec<LinkRow>, StoreError> {
        self.read(|c| active_links(c, campaign))
    }

    fn import_links(&self, campaign: &str, rows: &[NewLink]) -> Result<ImportReport, StoreError> {
        self.write(|t| {
            let existing = active_links(t, campaign)?;
            let mut report = ImportReport::default();
            let mut rng = rand::rng();
            let mut created: i64 = t.query_row("SELECT COALESCE(MAX(created), 0) FROM links", [], |row| row.get(0))?;
            for planned in plan(&existing, rows) {
                match planned {
                    Planned::Unchanged(link) => report.unchanged.push(link.clone()),
                    Planned::Update(link, row) => {
                        t.execute(
                            "UPDATE links SET organisation = ?2, contact = ?3, prefill = ?4 WHERE code = ?1",
                            params![link.entry.code.as_str(), row.organisation, row.contact, prefill_json(row)?],
                        )?;
                        report.updated.push(LinkRow::with(link.entry.code, row));
                    }
                    Planned::Create(row) => {
                        // A fresh code; on the (astronomically rare) clash, draw again.
                        let code = loop {
                            let code = LinkCode::generate(&mut rng);
                            let taken: bool = t.query_row("SELECT EXISTS (SELECT 1 FROM links WHERE code = ?1)", [code.as_str()], |r| r.get(0))?;
                            if !taken {
                                break code;
                            }
                        };
                        created += 1;
                        t.execute(
                            "INSERT INTO links (code, organisation, contact, prefill, identity, created, campaign) VALUES (?1, ?2, ?3, ?4, ?1, ?5, ?6)",
                            params![code.as_str(), row.organisation, row.contact, prefill_json(row)?, created, campaign],
                        )?;
                        report.created.push(LinkRow::with(code, row));
                    }
                }
            }
            Ok(report)
        })
    }

    fn retire_link(&self, code: &LinkCode) -> Result<Option<(String, String)>, StoreError> {
        self.write(|t| {
            Ok(t.query_row("UPDATE links SET retired = 1 WHERE code = ?1 AND retired = 0 RETURNING campaign, organisation", [code.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
        })
    }

    fn find_campaign(&self, slug: &str) -> Result<Option<Campaign>, StoreError> {
        let found = self.read(|c| {
            Ok(c.query_row(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE slug = ?1"), [slug], campaign_row).optional()?)
        })?;
        Ok(default_if_unmade(slug, found))
    }

    fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        let made = self.read(|c| {
            let mut statement = c.prepare(&format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY slug != 'default', slug"))?;
            let rows = statement.query_map([], campaign_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })?;
        Ok(default_first(made))
    }

    fn set_campaign(&self, campaign: &Campaign) -> Result<(), StoreError> {
        let prompts = campaign.prompts.as_ref().map(|p| serde_json::to_string(p).unwrap_or_default());
        let (questionnaire, version) = campaign.questionnaire.clone().unzip();
        self.write(|t| {
            t.execute(
                "INSERT INTO campaigns (slug, open, closes_at, name, questionnaire, version, theme, prompts, opens_on, admin_hash, closed_on, base_url)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (slug) DO UPDATE SET open = excluded.open, closes_at = excluded.closes_at, name = excluded.name,
                   questionnaire = excluded.questionnaire, version = excluded.version, theme = excluded.theme,
                   prompts = excluded.prompts, opens_on = excluded.opens_on, admin_hash = excluded.admin_hash,
                   closed_on = excluded.closed_on, base_url = excluded.base_url",
                params![
                    campaign.slug,
                    campaign.open,
                    campaign.closes_at,
                    campaign.name,
                    questionnaire,
                    version,
                    campaign.theme,
                    prompts,
                    campaign.opens_on,
                    campaign.admin_hash,
                    campaign.closed_on,
                    campaign.base_url
                ],
            )?;
            Ok(())
        })
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.read(|c| Ok(c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?))
    }

    fn delete_story(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.write(|t| {
            let submission_id: Option<String> =
                t.query_row("SELECT submission_id FROM stories WHERE id = ?1", [id], |row| row.get(0)).optional()?;
            if t.execute("DELETE FROM stories WHERE id = ?1", [id])? > 0 {
                t.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, '1')
                     ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                    [DELETIONS],
                )?;
            }
            Ok(submission_id)
        })
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|t| {
            t.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    fn add_setting(&self, key: &str, value: &str) -> Result<String, StoreError> {
        self.write(|t| {
            t.execute("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING", params![key, value])?;
            Ok(t.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))?)
        })
    }

    fn keep_questionnaire(&self, id: &str, version: u32, definition: &str) -> Result<String, StoreError> {
        self.write(|t| {
            t.execute(
                "INSERT INTO questionnaires (id, version, definition) VALUES (?1, ?2, ?3) ON CONFLICT (id, version) DO NOTHING",
                params![id, version, definition],
            )?;
            Ok(t.query_row("SELECT definition FROM questionnaires WHERE id = ?1 AND version = ?2", params![id, version], |r| r.get(0))?)
        })
    }

    fn questionnaires(&self) -> Result<Vec<String>, StoreError> {
        self.read(|c| {
            let mut statement = c.prepare("SELECT definition FROM questionnaires ORDER BY id, version")?;
            let rows = statement.query_map([], |row| row.get(0))?.collect::<Result<Vec<String>, _>>()?;
            Ok(rows)
        })
    }
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
