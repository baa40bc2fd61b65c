//! The schema, written once for both stores: each one's migrations, the column lists, the
//! statements both dialects accept, and [`counts`], which both compute from the same rows.
//!
//! Shared statements use PostgreSQL's numbered parameters (`$1`); the SQLite store reads
//! them as `?1` (see `store::sqlite`), so a parameter's number, not where it first appears,
//! says which value it takes in both. Both dialects read `NOT retired` and `retired = TRUE`
//! (SQLite keeps the flag as 0 or 1), and `CAST($1 AS TEXT) IS NULL` (a bare `$1 IS NULL`
//! leaves PostgreSQL without a type).
use storypoint_core::contract;

use super::{Counts, LinkCount};

/// The SQLite migrations, in order; `PRAGMA user_version` says how many have run.
pub const SQLITE_MIGRATIONS: &[&str] = &[
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
    // 9: the work session's observations (coordinators' words: no author, no time) and the
    // stories marked typical for its report.
    "CREATE TABLE observations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        campaign TEXT,
        view TEXT NOT NULL,
        observation TEXT NOT NULL,
        interpretations TEXT NOT NULL,
        stories TEXT NOT NULL
    );
    CREATE INDEX observations_campaign ON observations (campaign);
    CREATE TABLE typical_stories (story INTEGER PRIMARY KEY, campaign TEXT NOT NULL);
    CREATE INDEX typical_stories_campaign ON typical_stories (campaign);",
];

/// The PostgreSQL migrations, in order; the table `storypoint_schema` says how many have
/// run. The first one is the schema the SQLite migrations 1–6 arrive at; later ones match
/// SQLite's from 7 on.
pub const POSTGRES_MIGRATIONS: &[&str] = &[
    "CREATE TABLE stories (
        id BIGSERIAL PRIMARY KEY,
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
        audio TEXT,
        campaign TEXT NOT NULL DEFAULT 'default'
    );
    CREATE UNIQUE INDEX stories_submission_id ON stories (submission_id);
    CREATE INDEX stories_link ON stories (link);
    CREATE INDEX stories_perspective ON stories (perspective);
    CREATE INDEX stories_age_group ON stories (age_group);
    CREATE INDEX stories_organisation ON stories (organisation);
    CREATE INDEX stories_received_on ON stories (received_on);
    CREATE INDEX stories_questionnaire ON stories (questionnaire, version);
    CREATE INDEX stories_campaign ON stories (campaign);
    CREATE TABLE links (
        code TEXT PRIMARY KEY,
        organisation TEXT NOT NULL,
        contact TEXT,
        prefill TEXT NOT NULL,
        identity TEXT NOT NULL UNIQUE,
        created BIGINT NOT NULL,
        campaign TEXT NOT NULL DEFAULT 'default'
    );
    CREATE INDEX links_campaign ON links (campaign);
    CREATE TABLE campaigns (
        slug TEXT PRIMARY KEY,
        open BOOLEAN NOT NULL,
        closes_at TEXT,
        name TEXT,
        questionnaire TEXT,
        version INTEGER,
        theme TEXT,
        prompts TEXT,
        opens_on TEXT,
        admin_hash TEXT
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 2: every questionnaire version served, so older stories are read against their own.
    "CREATE TABLE questionnaires (id TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL, PRIMARY KEY (id, version));",
    // 3: a campaign keeps its links' page and the day it was closed by hand; a link can be
    // retired (as SQLite's 8).
    "ALTER TABLE campaigns ADD COLUMN closed_on TEXT;
    ALTER TABLE campaigns ADD COLUMN base_url TEXT;
    ALTER TABLE links ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;",
    // 4: the work session's observations and typical stories (as SQLite's 9).
    "CREATE TABLE observations (
        id BIGSERIAL PRIMARY KEY,
        campaign TEXT,
        view TEXT NOT NULL,
        observation TEXT NOT NULL,
        interpretations TEXT NOT NULL,
        stories TEXT NOT NULL
    );
    CREATE INDEX observations_campaign ON observations (campaign);
    CREATE TABLE typical_stories (story BIGINT PRIMARY KEY, campaign TEXT NOT NULL);
    CREATE INDEX typical_stories_campaign ON typical_stories (campaign);",
];

/// The questions whose answers a story keeps in columns of their own (for counting), in
/// the order of the columns `organisation`, `perspective` and `age_group`.
pub const FACT_QUESTIONS: [&str; 3] = [contract::ORGANISATION, contract::PERSPECTIVE, contract::AGE_GROUP];

/// A story's answers to [`FACT_QUESTIONS`], as text (choices and short texts).
pub fn facts(story: &storypoint_core::Story) -> [Option<&str>; 3] {
    FACT_QUESTIONS.map(|question| story.get(question).and_then(|answer| answer.as_str()))
}

/// A stored story's columns as [`super::StoredStory`] reads them, in this order.
pub const STORY_COLUMNS: &str = "id, received_on, questionnaire, version, lang, link, answers, audio, campaign";

/// The columns a new story fills, in this order (the id is the database's).
pub const INSERT_COLUMNS: &str =
    "submission_id, questionnaire, version, lang, link, organisation, perspective, age_group, received_on, answers, audio, campaign";

/// A campaign's columns, in the order both stores' rows are read and written.
macro_rules! campaign_columns {
    () => {
        "slug, open, closes_at, name, questionnaire, version, theme, prompts, opens_on, admin_hash, closed_on, base_url"
    };
}

/// Every campaign made (in no order: see `store::default_first`).
pub const CAMPAIGNS: &str = concat!("SELECT ", campaign_columns!(), " FROM campaigns");
/// The campaign `$1`.
pub const FIND_CAMPAIGN: &str = concat!("SELECT ", campaign_columns!(), " FROM campaigns WHERE slug = $1");
/// Saves a campaign, its columns as `$1`…`$12`.
pub const SET_CAMPAIGN: &str = concat!(
    "INSERT INTO campaigns (",
    campaign_columns!(),
    ")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (slug) DO UPDATE SET open = excluded.open, closes_at = excluded.closes_at, name = excluded.name,
       questionnaire = excluded.questionnaire, version = excluded.version, theme = excluded.theme,
       prompts = excluded.prompts, opens_on = excluded.opens_on, admin_hash = excluded.admin_hash,
       closed_on = excluded.closed_on, base_url = excluded.base_url"
);

/// The id of the story with submission id `$1`.
pub const STORY_ID: &str = "SELECT id FROM stories WHERE submission_id = $1";
/// The submission id of story `$1`.
pub const SUBMISSION_ID: &str = "SELECT submission_id FROM stories WHERE id = $1";
/// Deletes story `$1`.
pub const DELETE_STORY: &str = "DELETE FROM stories WHERE id = $1";

/// An active link by its code `$1`, with its campaign.
pub const FIND_LINK: &str = "SELECT code, organisation, prefill, campaign FROM links WHERE code = $1 AND NOT retired";
/// Campaign `$1`'s active links with their contacts, in the order made.
pub const ACTIVE_LINKS: &str = "SELECT code, organisation, prefill, contact FROM links WHERE campaign = $1 AND NOT retired ORDER BY created";
/// The last link's place in the order made (0 when there is none).
pub const LAST_CREATED: &str = "SELECT COALESCE(MAX(created), 0) FROM links";
/// Whether code `$1` is taken (by any link, retired ones too).
pub const CODE_TAKEN: &str = "SELECT EXISTS (SELECT 1 FROM links WHERE code = $1)";
/// Changes link `$1`'s organisation (`$2`), contact (`$3`) and prefill (`$4`).
pub const UPDATE_LINK: &str = "UPDATE links SET organisation = $2, contact = $3, prefill = $4 WHERE code = $1";
/// A new link: code `$1` (its identity too), organisation, contact, prefill, its place in
/// the order made (`$5`) and campaign (`$6`).
pub const INSERT_LINK: &str = "INSERT INTO links (code, organisation, contact, prefill, identity, created, campaign) VALUES ($1, $2, $3, $4, $1, $5, $6)";
/// Retires the active link `$1`, returning its campaign and organisation.
pub const RETIRE_LINK: &str = "UPDATE links SET retired = TRUE WHERE code = $1 AND NOT retired RETURNING campaign, organisation";

/// Setting `$1`.
pub const SETTING: &str = "SELECT value FROM settings WHERE key = $1";
/// Sets setting `$1` to `$2`.
pub const SET_SETTING: &str = "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
/// Sets setting `$1` to `$2` when it has no value yet.
pub const ADD_SETTING: &str = "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
/// Adds one to the count in setting `$1` (1 when it has none).
pub const COUNT_UP: &str = "INSERT INTO settings (key, value) VALUES ($1, '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT)";

/// Keeps questionnaire `$1` version `$2` (its JSON, `$3`) unless it was kept before.
pub const KEEP_QUESTIONNAIRE: &str = "INSERT INTO questionnaires (id, version, definition) VALUES ($1, $2, $3) ON CONFLICT (id, version) DO NOTHING";
/// The questionnaire `$1` version `$2` as kept.
pub const QUESTIONNAIRE: &str = "SELECT definition FROM questionnaires WHERE id = $1 AND version = $2";
/// Every questionnaire kept.
pub const QUESTIONNAIRES: &str = "SELECT definition FROM questionnaires ORDER BY id, version";

/// An observation's columns, in the order both stores read them.
macro_rules! observation_columns {
    () => {
        "id, campaign, view, observation, interpretations, stories"
    };
}

/// The observations of campaign `$1` (every one when NULL), oldest first.
pub const OBSERVATIONS: &str = concat!("SELECT ", observation_columns!(), " FROM observations WHERE CAST($1 AS TEXT) IS NULL OR campaign = $1 ORDER BY id");
/// Observation `$1`.
pub const OBSERVATION: &str = concat!("SELECT ", observation_columns!(), " FROM observations WHERE id = $1");
/// A new observation: campaign, view, words, interpretations and stories (JSON); its id.
pub const ADD_OBSERVATION: &str = "INSERT INTO observations (campaign, view, observation, interpretations, stories) VALUES ($1, $2, $3, $4, $5) RETURNING id";
/// Changes observation `$1`: view, words, interpretations and stories (its campaign stays).
pub const CHANGE_OBSERVATION: &str = "UPDATE observations SET view = $2, observation = $3, interpretations = $4, stories = $5 WHERE id = $1";
/// Deletes observation `$1`.
pub const DELETE_OBSERVATION: &str = "DELETE FROM observations WHERE id = $1";
/// The stories of campaign `$1` (every one when NULL) marked typical, by id.
pub const TYPICAL_STORIES: &str = "SELECT story FROM typical_stories WHERE CAST($1 AS TEXT) IS NULL OR campaign = $1 ORDER BY story";
/// Marks story `$1` of campaign `$2` typical.
pub const MARK_TYPICAL: &str = "INSERT INTO typical_stories (story, campaign) VALUES ($1, $2) ON CONFLICT (story) DO NOTHING";
/// Story `$1` is no longer typical (also when it is deleted).
pub const UNMARK_TYPICAL: &str = "DELETE FROM typical_stories WHERE story = $1";

/// Stories per link of campaign `$1` (every campaign when NULL), in the order made: code,
/// organisation, whether the link is retired, and its stories ([`counts`] leaves out the
/// retired links nothing came in through).
pub const PER_LINK: &str = "SELECT l.code, l.organisation, l.retired, COUNT(s.id) FROM links l LEFT JOIN stories s ON s.link = l.code
     WHERE (CAST($1 AS TEXT) IS NULL OR l.campaign = $1) GROUP BY l.code ORDER BY MIN(l.created)";

/// The stories of campaign `$1` (every campaign when NULL) counted per perspective, age
/// group, day and whether they came without a link: everything [`counts`] needs from them.
pub const STORY_GROUPS: &str = "SELECT perspective, age_group, received_on, link IS NULL, COUNT(*) FROM stories
     WHERE (CAST($1 AS TEXT) IS NULL OR campaign = $1) GROUP BY perspective, age_group, received_on, link IS NULL";

/// A row of [`PER_LINK`].
pub struct LinkGroup {
    /// The link's count (code, organisation, stories).
    pub count: LinkCount,
    /// Whether the link is retired.
    pub retired: bool,
}

/// A row of [`STORY_GROUPS`].
pub struct StoryGroup {
    /// The perspective answered, if any.
    pub perspective: Option<String>,
    /// The age group answered, if any.
    pub age_group: Option<String>,
    /// The day they arrived.
    pub received_on: String,
    /// Whether they came without a (known) link.
    pub without_link: bool,
    /// How many stories.
    pub stories: i64,
}

/// The counts for the dashboard, from the rows of [`PER_LINK`] and [`STORY_GROUPS`]. Values
/// are ordered bytewise, unanswered first (as SQLite orders text, and PostgreSQL's "C").
pub fn counts(links: Vec<LinkGroup>, groups: Vec<StoryGroup>) -> Counts {
    use std::collections::BTreeMap;
    let per_link = links.into_iter().filter(|l| !l.retired || l.count.stories > 0).map(|l| l.count).collect();
    let (mut total, mut without_link) = (0, 0);
    let mut per_perspective: BTreeMap<Option<String>, i64> = BTreeMap::new();
    let mut per_age_group: BTreeMap<Option<String>, i64> = BTreeMap::new();
    let mut per_day: BTreeMap<String, i64> = BTreeMap::new();
    for group in groups {
        total += group.stories;
        if group.without_link {
            without_link += group.stories;
        }
        *per_perspective.entry(group.perspective).or_default() += group.stories;
        *per_age_group.entry(group.age_group).or_default() += group.stories;
        *per_day.entry(group.received_on).or_default() += group.stories;
    }
    Counts {
        total,
        per_link,
        without_link,
        per_perspective: per_perspective.into_iter().collect(),
        per_age_group: per_age_group.into_iter().collect(),
        per_day: per_day.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_campaign_of_the_migrations_is_the_default_campaign() {
        let default = format!("DEFAULT '{}'", super::super::DEFAULT_CAMPAIGN);
        for migrations in [SQLITE_MIGRATIONS, POSTGRES_MIGRATIONS] {
            let named = migrations.iter().flat_map(|m| m.match_indices("DEFAULT '")).count();
            assert_eq!(named, migrations.iter().map(|m| m.matches(&default).count()).sum::<usize>());
            assert_eq!(named, 2);
        }
    }

    #[test]
    fn counts_add_up_groups_and_order_values_bytewise_unanswered_first() {
        let group = |p: Option<&str>, day: &str, without_link, stories| StoryGroup {
            perspective: p.map(str::to_owned),
            age_group: None,
            received_on: day.into(),
            without_link,
            stories,
        };
        let link = |code: &str, retired, stories| LinkGroup { count: LinkCount { code: code.into(), organisation: "O".into(), stories }, retired };
        let counts = counts(
            vec![link("b", false, 0), link("a", true, 0), link("c", true, 2)],
            vec![group(Some("jongere"), "2027-01-02", true, 2), group(Some("Ouder"), "2027-01-01", false, 1), group(None, "2027-01-02", false, 3)],
        );
        assert_eq!(counts.total, 6);
        assert_eq!(counts.without_link, 2);
        assert_eq!(counts.per_link.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["b", "c"]);
        assert_eq!(counts.per_perspective, [(None, 3), (Some("Ouder".into()), 1), (Some("jongere".into()), 2)]);
        assert_eq!(counts.per_age_group, [(None, 6)]);
        assert_eq!(counts.per_day, [("2027-01-01".into(), 1), ("2027-01-02".into(), 5)]);
    }
}
