//! The SQLite store, [`SqliteStore`]: one region on one machine.
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: when [`Store::insert_story`] returns,
//! the story is on disk. Inserts go through one writer thread that commits them in groups
//! (group commit), so many tellers at once cost one fsync per group, not one each. After
//! every write the files keep only the day (see [`blur_times`]).
use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;

use rusqlite::{Connection, OptionalExtension, params};
use storypoint_core::{LinkCode, LinkEntry};

use super::schema::{self, LinkGroup, StoryGroup};
use super::writer::{WriteRequest, answer_group, next_group, send_to_writer};
use super::{
    Campaign, Counts, DELETIONS, ImportReport, Inserted, LinkCount, LinkRow, NewLink, Observation, Planned, Store, StoreError, StoredStory, answers_json,
    default_first, default_if_unmade, json_list, link_from_row, observation_from_row, plan,
};

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Database(error.to_string()),
        }
    }
}

/// A shared statement (`store::schema`) as SQLite reads it: `$1` as `?1`, so each value
/// goes to the parameter of its number.
fn sql(statement: &str) -> String {
    statement.replace('$', "?")
}

/// The prefill of a row as stored.
fn prefill_json(row: &NewLink) -> Result<String, StoreError> {
    serde_json::to_string(&row.prefill).map_err(|e| StoreError::Database(e.to_string()))
}

/// A campaign's active links with their contacts, in the order made.
fn active_links(c: &Connection, campaign: &str) -> Result<Vec<LinkRow>, StoreError> {
    let mut statement = c.prepare(&sql(schema::ACTIVE_LINKS))?;
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
    let mut statement = c.prepare(&format!("SELECT {} FROM stories {filter}", schema::STORY_COLUMNS))?;
    let rows = statement.query_map(params, |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get::<_, String>(6)?, row.get(7)?, row.get(8)?))
    })?;
    let mut stories = Vec::new();
    for row in rows {
        let (id, received_on, questionnaire, version, lang, link, answers, audio, campaign) = row?;
        let answers = serde_json::from_str(&answers).map_err(|e| StoreError::Database(format!("stored answers of story {id}: {e}")))?;
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

/// An observation's row (`schema::OBSERVATION`), its JSON columns not yet read.
type ObservationRow = (i64, Option<String>, String, String, String, String);

fn observation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ObservationRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

fn observation(row: ObservationRow) -> Result<Observation, StoreError> {
    let (id, campaign, view, text, interpretations, stories) = row;
    observation_from_row(id, campaign, view, text, &interpretations, &stories)
}

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

/// The SQLite store: one writer thread (group commit) and a few reader connections.
pub struct SqliteStore {
    writer: Mutex<mpsc::Sender<WriteRequest>>,
    readers: Mutex<Vec<Connection>>,
    path: std::path::PathBuf,
}

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
    let migrations = schema::SQLITE_MIGRATIONS;
    let transaction = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let done: i64 = transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done > migrations.len() {
        return Err(StoreError::Database(format!(
            "this database has schema version {done}, newer than this storypoint ({}); use a newer storypoint",
            migrations.len()
        )));
    }
    for migration in &migrations[done..] {
        transaction.execute_batch(migration)?;
    }
    transaction.pragma_update(None, "user_version", migrations.len() as i64)?;
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

fn insert_group(connection: &mut Connection, group: &[WriteRequest]) -> Result<Vec<Inserted>, StoreError> {
    let transaction = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(group.len());
    {
        let mut insert = transaction.prepare_cached(&format!(
            "INSERT INTO stories ({})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (submission_id) DO NOTHING",
            schema::INSERT_COLUMNS
        ))?;
        let mut existing = transaction.prepare_cached(&sql(schema::STORY_ID))?;
        for request in group {
            let new = &request.story;
            let story = &new.story;
            let [organisation, perspective, age_group] = schema::facts(story);
            let answers = serde_json::to_string(&answers_json(story)).map_err(|e| StoreError::Database(e.to_string()))?;
            let changed = insert.execute(params![
                new.submission_id,
                story.questionnaire,
                story.version,
                new.lang,
                new.link,
                organisation,
                perspective,
                age_group,
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

impl Store for SqliteStore {
    fn insert_story(&self, story: super::NewStory) -> Result<Inserted, StoreError> {
        send_to_writer(&self.writer, story)
    }

    fn story_id(&self, submission_id: &str) -> Result<Option<i64>, StoreError> {
        self.read(|c| Ok(c.query_row(&sql(schema::STORY_ID), [submission_id], |row| row.get(0)).optional()?))
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
        self.read(|c| {
            let mut statement = c.prepare(&sql(schema::PER_LINK))?;
            let links = statement
                .query_map([campaign], |row| {
                    Ok(LinkGroup { count: LinkCount { code: row.get(0)?, organisation: row.get(1)?, stories: row.get(3)? }, retired: row.get(2)? })
                })?
                .collect::<Result<_, _>>()?;
            let mut statement = c.prepare(&sql(schema::STORY_GROUPS))?;
            let groups = statement
                .query_map([campaign], |row| {
                    Ok(StoryGroup {
                        perspective: row.get(0)?,
                        age_group: row.get(1)?,
                        received_on: row.get(2)?,
                        without_link: row.get(3)?,
                        stories: row.get(4)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(schema::counts(links, groups))
        })
    }

    fn link(&self, campaign: &str, code: &LinkCode) -> Result<Option<LinkEntry>, StoreError> {
        Ok(self.find_link(code)?.filter(|(of, _)| of == campaign).map(|(_, entry)| entry))
    }

    fn find_link(&self, code: &LinkCode) -> Result<Option<(String, LinkEntry)>, StoreError> {
        self.read(|c| {
            let row: Option<(String, String, String, String)> =
                c.query_row(&sql(schema::FIND_LINK), [code.as_str()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))).optional()?;
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
            let mut created: i64 = t.query_row(schema::LAST_CREATED, [], |row| row.get(0))?;
            for planned in plan(&existing, rows) {
                match planned {
                    Planned::Unchanged(link) => report.unchanged.push(link.clone()),
                    Planned::Update(link, row) => {
                        t.execute(&sql(schema::UPDATE_LINK), params![link.entry.code.as_str(), row.organisation, row.contact, prefill_json(row)?])?;
                        report.updated.push(LinkRow::with(link.entry.code, row));
                    }
                    Planned::Create(row) => {
                        // A fresh code; on the (astronomically rare) clash, draw again.
                        let code = loop {
                            let code = LinkCode::generate(&mut rng);
                            let taken: bool = t.query_row(&sql(schema::CODE_TAKEN), [code.as_str()], |r| r.get(0))?;
                            if !taken {
                                break code;
                            }
                        };
                        created += 1;
                        t.execute(&sql(schema::INSERT_LINK), params![code.as_str(), row.organisation, row.contact, prefill_json(row)?, created, campaign])?;
                        report.created.push(LinkRow::with(code, row));
                    }
                }
            }
            Ok(report)
        })
    }

    fn retire_link(&self, code: &LinkCode) -> Result<Option<(String, String)>, StoreError> {
        self.write(|t| Ok(t.query_row(&sql(schema::RETIRE_LINK), [code.as_str()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?))
    }

    fn find_campaign(&self, slug: &str) -> Result<Option<Campaign>, StoreError> {
        let found = self.read(|c| Ok(c.query_row(&sql(schema::FIND_CAMPAIGN), [slug], campaign_row).optional()?))?;
        Ok(default_if_unmade(slug, found))
    }

    fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        let made = self.read(|c| {
            let mut statement = c.prepare(schema::CAMPAIGNS)?;
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
                &sql(schema::SET_CAMPAIGN),
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
        self.read(|c| Ok(c.query_row(&sql(schema::SETTING), [key], |r| r.get(0)).optional()?))
    }

    fn delete_story(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.write(|t| {
            let submission_id: Option<String> = t.query_row(&sql(schema::SUBMISSION_ID), [id], |row| row.get(0)).optional()?;
            if t.execute(&sql(schema::DELETE_STORY), [id])? > 0 {
                t.execute(&sql(schema::COUNT_UP), [DELETIONS])?;
                t.execute(&sql(schema::UNMARK_TYPICAL), [id])?;
            }
            Ok(submission_id)
        })
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(|t| {
            t.execute(&sql(schema::SET_SETTING), params![key, value])?;
            Ok(())
        })
    }

    fn add_setting(&self, key: &str, value: &str) -> Result<String, StoreError> {
        self.write(|t| {
            t.execute(&sql(schema::ADD_SETTING), params![key, value])?;
            Ok(t.query_row(&sql(schema::SETTING), [key], |r| r.get(0))?)
        })
    }

    fn keep_questionnaire(&self, id: &str, version: u32, definition: &str) -> Result<String, StoreError> {
        self.write(|t| {
            t.execute(&sql(schema::KEEP_QUESTIONNAIRE), params![id, version, definition])?;
            Ok(t.query_row(&sql(schema::QUESTIONNAIRE), params![id, version], |r| r.get(0))?)
        })
    }

    fn questionnaires(&self) -> Result<Vec<String>, StoreError> {
        self.read(|c| {
            let mut statement = c.prepare(schema::QUESTIONNAIRES)?;
            let rows = statement.query_map([], |row| row.get(0))?.collect::<Result<Vec<String>, _>>()?;
            Ok(rows)
        })
    }

    fn observations(&self, campaign: Option<&str>) -> Result<Vec<Observation>, StoreError> {
        let rows = self.read(|c| {
            let mut statement = c.prepare(&sql(schema::OBSERVATIONS))?;
            let rows = statement.query_map([campaign], observation_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })?;
        rows.into_iter().map(observation).collect()
    }

    fn observation(&self, id: i64) -> Result<Option<Observation>, StoreError> {
        self.read(|c| Ok(c.query_row(&sql(schema::OBSERVATION), [id], observation_row).optional()?))?.map(observation).transpose()
    }

    fn save_observation(&self, o: &Observation) -> Result<Option<i64>, StoreError> {
        let (interpretations, stories) = (json_list(&o.interpretations)?, json_list(&o.stories)?);
        self.write(|t| {
            if o.id == 0 {
                let id = t.query_row(&sql(schema::ADD_OBSERVATION), params![o.campaign, o.view, o.text, interpretations, stories], |r| r.get(0))?;
                return Ok(Some(id));
            }
            let changed = t.execute(&sql(schema::CHANGE_OBSERVATION), params![o.id, o.view, o.text, interpretations, stories])?;
            Ok((changed > 0).then_some(o.id))
        })
    }

    fn delete_observation(&self, id: i64) -> Result<bool, StoreError> {
        self.write(|t| Ok(t.execute(&sql(schema::DELETE_OBSERVATION), [id])? > 0))
    }

    fn typical_stories(&self, campaign: Option<&str>) -> Result<Vec<i64>, StoreError> {
        self.read(|c| {
            let mut statement = c.prepare(&sql(schema::TYPICAL_STORIES))?;
            let rows = statement.query_map([campaign], |row| row.get(0))?.collect::<Result<Vec<i64>, _>>()?;
            Ok(rows)
        })
    }

    fn set_typical(&self, story: i64, campaign: &str, typical: bool) -> Result<(), StoreError> {
        self.write(|t| {
            match typical {
                true => t.execute(&sql(schema::MARK_TYPICAL), params![story, campaign])?,
                false => t.execute(&sql(schema::UNMARK_TYPICAL), [story])?,
            };
            Ok(())
        })
    }
}
