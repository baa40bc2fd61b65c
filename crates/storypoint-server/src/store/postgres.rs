//! The PostgreSQL store, for a national deployment: several stateless collectors behind a
//! load balancer on one database (`storypoint --db postgres://…`).
//!
//! It keeps the promises of the SQLite store across processes:
//! - a story is durable when [`Store::insert_story`] returns (PostgreSQL commits with
//!   `synchronous_commit` on);
//! - one story per submission id, also when the same submission reaches three collectors
//!   at once (the unique index decides);
//! - story ids only grow in the order stories become visible, so a reader that catches up
//!   with [`Store::stories_after`] never skips one. Each collector commits its waiting
//!   stories in one transaction (group commit) under a database-wide advisory lock, so ids
//!   are handed out and committed in one order across all collectors;
//! - migrations run once, under an advisory lock, however many collectors start at once.
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use postgres::{Client, Row, Transaction};
use r2d2_postgres::PostgresConnectionManager;
use storypoint_core::{LinkCode, LinkEntry};

use super::schema::{self, LinkGroup, StoryGroup};
use super::tls::MakeRustlsConnect;
use super::writer::{WriteRequest, answer_group, next_group, send_to_writer};
use super::{
    Campaign, Counts, DELETIONS, ImportReport, Inserted, LinkCount, LinkRow, NewLink, NewStory, Observation, Planned, Store, StoreError, StoredStory,
    answers_json, default_first, default_if_unmade, json_list, link_from_row, observation_from_row, plan,
};
use connection::{Target, connect, session_config, with_retry};

mod connection;

/// The advisory lock that orders inserts (a fixed number: "storypoi" in ASCII).
const INSERT_LOCK: i64 = 0x73746f7279706f69;
/// The advisory lock held while migrating.
const MIGRATION_LOCK: i64 = INSERT_LOCK + 1;

/// Connections for reads and rare writes, per collector. Requests beyond it wait for one
/// (a new connection costs PostgreSQL a process: opening one per request under load would
/// cost more than waiting).
const POOL: u32 = 8;

/// The PostgreSQL store: one writer thread (group commit) and a pool of connections.
pub struct PostgresStore {
    writer: Mutex<mpsc::Sender<WriteRequest>>,
    pool: r2d2::Pool<PostgresConnectionManager<MakeRustlsConnect>>,
    target: Target,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host:port/name`) and runs any
    /// migrations not yet run.
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let target = session_config(url)?;
        let mut client = connect(&target)?;
        migrate(&mut client)?;
        let pool = r2d2::Pool::builder()
            .max_size(POOL)
            .min_idle(Some(1))
            // A broken connection shows as closed (`has_broken`); no test query per request.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(5))
            .build_unchecked(PostgresConnectionManager::new(target.config.clone(), target.tls.clone()));
        let (sender, receiver) = mpsc::channel::<WriteRequest>();
        let writer_target = target.clone();
        thread::Builder::new()
            .name("storypoint-writer".into())
            .spawn(move || writer_loop(writer_target, Some(client), receiver))
            .map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(PostgresStore { writer: Mutex::new(sender), pool, target })
    }

    /// Runs `f` on a pooled connection; when the connection breaks during it (a restart of
    /// the database), runs it once more on a new connection of its own: the pool's other idle
    /// connections may be broken too (each is dropped when it is found so). Safe to repeat:
    /// each piece of work is one transaction.
    fn with<T>(&self, mut f: impl FnMut(&mut Client) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut pooled = self.pool.get().map_err(|e| StoreError::Unreachable(e.to_string()))?;
        let result = f(&mut pooled);
        if result.is_ok() || !pooled.is_closed() {
            return result;
        }
        // Dropped here, the broken connection leaves the pool (`has_broken`).
        drop(pooled);
        f(&mut connect(&self.target)?)
    }

    fn write<T>(&self, mut f: impl FnMut(&mut Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        self.with(|client| {
            let mut transaction = client.transaction()?;
            let value = f(&mut transaction)?;
            transaction.commit()?;
            Ok(value)
        })
    }
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    const MIGRATIONS: &[&str] = schema::POSTGRES_MIGRATIONS;
    let mut transaction = client.transaction()?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    transaction.batch_execute("CREATE TABLE IF NOT EXISTS storypoint_schema (version INTEGER NOT NULL)")?;
    let done: Option<i32> = transaction.query_opt("SELECT version FROM storypoint_schema", &[])?.map(|row| row.try_get(0)).transpose()?;
    let done = usize::try_from(done.unwrap_or(0)).unwrap_or(usize::MAX);
    if done > MIGRATIONS.len() {
        return Err(StoreError::Database(format!(
            "this database has schema version {done}, newer than this storypoint ({}); use a newer storypoint",
            MIGRATIONS.len()
        )));
    }
    for migration in &MIGRATIONS[done..] {
        transaction.batch_execute(migration)?;
    }
    let version = MIGRATIONS.len() as i32;
    transaction.execute("DELETE FROM storypoint_schema", &[])?;
    transaction.execute("INSERT INTO storypoint_schema (version) VALUES ($1)", &[&version])?;
    transaction.commit()?;
    Ok(())
}

/// Takes what is waiting, stores it in one transaction, answers everyone after the commit.
/// A lost connection is made again for the next group.
fn writer_loop(target: Target, mut client: Option<Client>, receiver: mpsc::Receiver<WriteRequest>) {
    while let Some(group) = next_group(&receiver) {
        match with_retry(&target, &mut client, |connected| insert_group(connected, &group)) {
            // One story the database refuses must not fail the others of its group.
            Err(StoreError::Database(_)) if group.len() > 1 => {
                for one in group {
                    let outcome = with_retry(&target, &mut client, |connected| insert_group(connected, std::slice::from_ref(&one)));
                    answer_group(vec![one], outcome);
                }
            }
            outcome => answer_group(group, outcome),
        }
    }
}

/// Stores a group in one statement (one round trip, however many stories), then looks up
/// the ids of those stored before.
// The columns as arrays for UNNEST, in tuples by kind (one array per column).
#[allow(clippy::type_complexity)]
fn insert_group(client: &mut Client, group: &[WriteRequest]) -> Result<Vec<Inserted>, StoreError> {
    let mut columns: (Vec<&str>, Vec<&str>, Vec<i32>, Vec<&str>, Vec<Option<&str>>) = Default::default();
    let mut facts: (Vec<Option<String>>, Vec<Option<String>>, Vec<Option<String>>) = Default::default();
    let mut rest: (Vec<&str>, Vec<String>, Vec<Option<&str>>, Vec<&str>) = Default::default();
    for request in group {
        let new = &request.story;
        let story = &new.story;
        // PostgreSQL text cannot hold NUL, which a teller may type: the columns kept for
        // counting get U+FFFD instead (the answers JSON keeps the exact text, escaped).
        let [organisation, perspective, age_group] = schema::facts(story).map(|fact| fact.map(|t| t.replace('\0', "\u{fffd}")));
        columns.0.push(&new.submission_id);
        columns.1.push(&story.questionnaire);
        columns.2.push(i32::try_from(story.version).map_err(|_| StoreError::Database("questionnaire version too large".into()))?);
        columns.3.push(&new.lang);
        columns.4.push(new.link.as_deref());
        facts.0.push(organisation);
        facts.1.push(perspective);
        facts.2.push(age_group);
        rest.0.push(&new.received_on);
        rest.1.push(serde_json::to_string(&answers_json(story)).map_err(|e| StoreError::Database(e.to_string()))?);
        rest.2.push(new.audio.as_deref());
        rest.3.push(&new.campaign);
    }
    let mut transaction = client.transaction()?;
    // Ids are drawn and committed in one order across every collector (see the module docs).
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&INSERT_LOCK])?;
    let created = transaction.query(
        &format!(
            "INSERT INTO stories ({})
         SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[], $3::INTEGER[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[],
                              $9::TEXT[], $10::TEXT[], $11::TEXT[], $12::TEXT[])
         ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id, id",
            schema::INSERT_COLUMNS
        ),
        &[&columns.0, &columns.1, &columns.2, &columns.3, &columns.4, &facts.0, &facts.1, &facts.2, &rest.0, &rest.1, &rest.2, &rest.3],
    )?;
    let created: std::collections::HashMap<String, i64> = created.iter().map(pair).collect::<Result<_, _>>()?;
    let earlier: std::collections::HashMap<String, i64> = if created.len() < group.len() {
        let missing: Vec<&str> = columns.0.iter().copied().filter(|id| !created.contains_key(*id)).collect();
        let rows = transaction.query("SELECT submission_id, id FROM stories WHERE submission_id = ANY($1)", &[&missing])?;
        rows.iter().map(pair).collect::<Result<_, _>>()?
    } else {
        Default::default()
    };
    transaction.commit()?;
    // The first of a group's copies of one submission was stored now; later copies, and
    // submissions stored before, are duplicates.
    let mut seen = std::collections::HashSet::new();
    group
        .iter()
        .map(|request| {
            let id = &request.story.submission_id;
            match (created.get(id), earlier.get(id)) {
                (Some(&story), _) if seen.insert(id) => Ok(Inserted::Created(story)),
                (Some(&story), _) | (None, Some(&story)) => Ok(Inserted::Duplicate(story)),
                (None, None) => Err(StoreError::Database(format!("story {id} was neither stored nor found"))),
            }
        })
        .collect()
}

fn story_row(row: &Row) -> Result<StoredStory, StoreError> {
    let id: i64 = row.try_get(0)?;
    let version: i32 = row.try_get(3)?;
    let answers: String = row.try_get(6)?;
    let answers = serde_json::from_str(&answers).map_err(|e| StoreError::Database(format!("stored answers of story {id}: {e}")))?;
    Ok(StoredStory {
        id,
        received_on: row.try_get(1)?,
        questionnaire: row.try_get(2)?,
        version: u32::try_from(version).unwrap_or_default(),
        lang: row.try_get(4)?,
        link: row.try_get(5)?,
        answers,
        audio: row.try_get(7)?,
        campaign: row.try_get(8)?,
    })
}

/// A campaign's active links with their contacts, in the order made.
fn active_links(c: &mut impl postgres::GenericClient, campaign: &str) -> Result<Vec<LinkRow>, StoreError> {
    c.query(schema::ACTIVE_LINKS, &[&campaign])?
        .iter()
        .map(|row| Ok(LinkRow { entry: link_from_row(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)?, contact: row.try_get(3)? }))
        .collect()
}

fn campaign_row(row: &Row) -> Result<Campaign, postgres::Error> {
    let questionnaire: Option<String> = row.try_get(4)?;
    let version: Option<i32> = row.try_get(5)?;
    let prompts: Option<String> = row.try_get(7)?;
    Ok(Campaign {
        slug: row.try_get(0)?,
        open: row.try_get(1)?,
        closes_at: row.try_get(2)?,
        name: row.try_get(3)?,
        questionnaire: questionnaire.zip(version.and_then(|v| u32::try_from(v).ok())),
        theme: row.try_get(6)?,
        prompts: prompts.and_then(|p| serde_json::from_str(&p).ok()),
        opens_on: row.try_get(8)?,
        admin_hash: row.try_get(9)?,
        closed_on: row.try_get(10)?,
        base_url: row.try_get(11)?,
    })
}

fn observation_row(row: &Row) -> Result<Observation, StoreError> {
    let (interpretations, stories): (String, String) = (row.try_get(4)?, row.try_get(5)?);
    observation_from_row(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?, &interpretations, &stories)
}

/// The first two columns of a row (a key and its value), or the error a wrong type gives.
fn pair<A, B>(row: &Row) -> Result<(A, B), postgres::Error>
where
    A: for<'a> postgres::types::FromSql<'a>,
    B: for<'a> postgres::types::FromSql<'a>,
{
    Ok((row.try_get(0)?, row.try_get(1)?))
}

impl Store for PostgresStore {
    fn insert_story(&self, story: NewStory) -> Result<Inserted, StoreError> {
        send_to_writer(&self.writer, story)
    }

    fn story_id(&self, submission_id: &str) -> Result<Option<i64>, StoreError> {
        self.with(|c| Ok(c.query_opt(schema::STORY_ID, &[&submission_id])?.map(|row| row.try_get(0)).transpose()?))
    }

    fn stories_after(&self, after: i64) -> Result<Vec<StoredStory>, StoreError> {
        // In pages: with LIMIT the planner walks the id index even before the table has
        // statistics (without, it guesses a third of the table and scans all of it).
        const PAGE: i64 = 10_000;
        let mut stories = Vec::new();
        loop {
            let last = stories.last().map_or(after, |s: &StoredStory| s.id);
            let page: Vec<StoredStory> = self.with(|c| {
                c.query(&format!("SELECT {} FROM stories WHERE id > $1 ORDER BY id LIMIT $2", schema::STORY_COLUMNS), &[&last, &PAGE])?
                    .iter()
                    .map(story_row)
                    .collect()
            })?;
            let full = page.len() as i64 == PAGE;
            stories.extend(page);
            if !full {
                return Ok(stories);
            }
        }
    }

    fn stories_with_ids(&self, ids: &[i64]) -> Result<Vec<StoredStory>, StoreError> {
        self.with(|c| {
            c.query(&format!("SELECT {} FROM stories WHERE id = ANY($1) ORDER BY id", schema::STORY_COLUMNS), &[&ids])?.iter().map(story_row).collect()
        })
    }

    fn counts(&self, campaign: Option<&str>) -> Result<Counts, StoreError> {
        self.with(|c| {
            let links = c
                .query(schema::PER_LINK, &[&campaign])?
                .iter()
                .map(|row| {
                    let count = LinkCount { code: row.try_get(0)?, organisation: row.try_get(1)?, stories: row.try_get(3)? };
                    Ok(LinkGroup { count, retired: row.try_get(2)? })
                })
                .collect::<Result<_, postgres::Error>>()?;
            let groups = c
                .query(schema::STORY_GROUPS, &[&campaign])?
                .iter()
                .map(|row| {
                    Ok(StoryGroup {
                        perspective: row.try_get(0)?,
                        age_group: row.try_get(1)?,
                        received_on: row.try_get(2)?,
                        without_link: row.try_get(3)?,
                        stories: row.try_get(4)?,
                    })
                })
                .collect::<Result<_, postgres::Error>>()?;
            Ok(schema::counts(links, groups))
        })
    }

    fn link(&self, campaign: &str, code: &LinkCode) -> Result<Option<LinkEntry>, StoreError> {
        Ok(self.find_link(code)?.filter(|(of, _)| of == campaign).map(|(_, entry)| entry))
    }

    fn find_link(&self, code: &LinkCode) -> Result<Option<(String, LinkEntry)>, StoreError> {
        self.with(|c| {
            c.query_opt(schema::FIND_LINK, &[&code.as_str()])?
                .map(|row| Ok((row.try_get(3)?, link_from_row(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)?)))
                .transpose()
        })
    }

    fn links(&self, campaign: &str) -> Result<Vec<LinkRow>, StoreError> {
        self.with(|c| active_links(c, campaign))
    }

    fn import_links(&self, campaign: &str, rows: &[NewLink]) -> Result<ImportReport, StoreError> {
        self.write(|t| {
            // One import at a time across collectors, so `created` keeps the order made.
            t.batch_execute("LOCK TABLE links IN SHARE ROW EXCLUSIVE MODE")?;
            let existing = active_links(t, campaign)?;
            let mut report = ImportReport::default();
            let mut rng = rand::rng();
            let mut created: i64 = t.query_one(schema::LAST_CREATED, &[])?.try_get(0)?;
            for planned in plan(&existing, rows) {
                let prefill = |row: &NewLink| serde_json::to_string(&row.prefill).map_err(|e| StoreError::Database(e.to_string()));
                match planned {
                    Planned::Unchanged(link) => report.unchanged.push(link.clone()),
                    Planned::Update(link, row) => {
                        t.execute(schema::UPDATE_LINK, &[&link.entry.code.as_str(), &row.organisation, &row.contact, &prefill(row)?])?;
                        report.updated.push(LinkRow::with(link.entry.code, row));
                    }
                    Planned::Create(row) => {
                        // A fresh code; on the (astronomically rare) clash, draw again.
                        let code = loop {
                            let code = LinkCode::generate(&mut rng);
                            let taken: bool = t.query_one(schema::CODE_TAKEN, &[&code.as_str()])?.try_get(0)?;
                            if !taken {
                                break code;
                            }
                        };
                        created += 1;
                        t.execute(schema::INSERT_LINK, &[&code.as_str(), &row.organisation, &row.contact, &prefill(row)?, &created, &campaign])?;
                        report.created.push(LinkRow::with(code, row));
                    }
                }
            }
            Ok(report)
        })
    }

    fn retire_link(&self, code: &LinkCode) -> Result<Option<(String, String)>, StoreError> {
        self.write(|t| Ok(t.query_opt(schema::RETIRE_LINK, &[&code.as_str()])?.as_ref().map(pair).transpose()?))
    }

    fn find_campaign(&self, slug: &str) -> Result<Option<Campaign>, StoreError> {
        let found = self.with(|c| Ok(c.query_opt(schema::FIND_CAMPAIGN, &[&slug])?.map(|row| campaign_row(&row)).transpose()?))?;
        Ok(default_if_unmade(slug, found))
    }

    fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        let made = self.with(|c| {
            let rows = c.query(schema::CAMPAIGNS, &[])?;
            Ok(rows.iter().map(campaign_row).collect::<Result<Vec<_>, _>>()?)
        })?;
        Ok(default_first(made))
    }

    fn set_campaign(&self, campaign: &Campaign) -> Result<(), StoreError> {
        let prompts = campaign.prompts.as_ref().map(|p| serde_json::to_string(p).unwrap_or_default());
        let (questionnaire, version) = campaign.questionnaire.clone().unzip();
        let version = version.map(|v| i32::try_from(v).unwrap_or(i32::MAX));
        self.write(|t| {
            t.execute(
                schema::SET_CAMPAIGN,
                &[
                    &campaign.slug,
                    &campaign.open,
                    &campaign.closes_at,
                    &campaign.name,
                    &questionnaire,
                    &version,
                    &campaign.theme,
                    &prompts,
                    &campaign.opens_on,
                    &campaign.admin_hash,
                    &campaign.closed_on,
                    &campaign.base_url,
                ],
            )?;
            Ok(())
        })
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.with(|c| Ok(c.query_opt(schema::SETTING, &[&key])?.map(|row| row.try_get(0)).transpose()?))
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|t| {
            t.execute(schema::SET_SETTING, &[&key, &value])?;
            Ok(())
        })
    }

    fn delete_story(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.write(|t| {
            let deleted = t.query_opt("DELETE FROM stories WHERE id = $1 RETURNING submission_id", &[&id])?;
            if deleted.is_some() {
                t.execute(schema::COUNT_UP, &[&DELETIONS])?;
                t.execute(schema::UNMARK_TYPICAL, &[&id])?;
            }
            Ok(deleted.map(|row| row.try_get(0)).transpose()?)
        })
    }

    fn add_setting(&self, key: &str, value: &str) -> Result<String, StoreError> {
        self.write(|t| {
            t.execute(schema::ADD_SETTING, &[&key, &value])?;
            Ok(t.query_one(schema::SETTING, &[&key])?.try_get(0)?)
        })
    }

    fn keep_questionnaire(&self, id: &str, version: u32, definition: &str) -> Result<String, StoreError> {
        let version = i32::try_from(version).map_err(|_| StoreError::Database("questionnaire version too large".into()))?;
        self.write(|t| {
            t.execute(schema::KEEP_QUESTIONNAIRE, &[&id, &version, &definition])?;
            Ok(t.query_one(schema::QUESTIONNAIRE, &[&id, &version])?.try_get(0)?)
        })
    }

    fn questionnaires(&self) -> Result<Vec<String>, StoreError> {
        self.with(|c| Ok(c.query(schema::QUESTIONNAIRES, &[])?.iter().map(|row| row.try_get(0)).collect::<Result<_, _>>()?))
    }

    fn observations(&self, campaign: Option<&str>) -> Result<Vec<Observation>, StoreError> {
        self.with(|c| c.query(schema::OBSERVATIONS, &[&campaign])?.iter().map(observation_row).collect())
    }

    fn observation(&self, id: i64) -> Result<Option<Observation>, StoreError> {
        self.with(|c| c.query_opt(schema::OBSERVATION, &[&id])?.as_ref().map(observation_row).transpose())
    }

    fn save_observation(&self, o: &Observation) -> Result<Option<i64>, StoreError> {
        let (interpretations, stories) = (json_list(&o.interpretations)?, json_list(&o.stories)?);
        self.write(|t| {
            if o.id == 0 {
                let row = t.query_one(schema::ADD_OBSERVATION, &[&o.campaign, &o.view, &o.text, &interpretations, &stories])?;
                return Ok(Some(row.try_get(0)?));
            }
            let changed = t.execute(schema::CHANGE_OBSERVATION, &[&o.id, &o.view, &o.text, &interpretations, &stories])?;
            Ok((changed > 0).then_some(o.id))
        })
    }

    fn delete_observation(&self, id: i64) -> Result<bool, StoreError> {
        self.write(|t| Ok(t.execute(schema::DELETE_OBSERVATION, &[&id])? > 0))
    }

    fn typical_stories(&self, campaign: Option<&str>) -> Result<Vec<i64>, StoreError> {
        self.with(|c| Ok(c.query(schema::TYPICAL_STORIES, &[&campaign])?.iter().map(|row| row.try_get(0)).collect::<Result<_, _>>()?))
    }

    fn set_typical(&self, story: i64, campaign: &str, typical: bool) -> Result<(), StoreError> {
        self.write(|t| {
            match typical {
                true => t.execute(schema::MARK_TYPICAL, &[&story, &campaign])?,
                false => t.execute(schema::UNMARK_TYPICAL, &[&story])?,
            };
            Ok(())
        })
    }
}
