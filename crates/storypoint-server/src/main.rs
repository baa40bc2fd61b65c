//! `storypoint`: the collector (`serve`) and the coordinators' tool (links, QR flyers,
//! export, questionnaire check, campaign). `storypoint --help` is the manual.
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use storypoint_core::{LinkCode, Questionnaire, default_questionnaire};
use storypoint_server::app::{AppState, DEFAULT_MAX_BODY_BYTES, app};
use storypoint_server::store::{Campaign, DEFAULT_CAMPAIGN, Database, Store, Window};
use storypoint_server::{auth, export};

/// Storypoint: the Vertelpunt collector and the coordinators' tool.
#[derive(Parser)]
#[command(name = "storypoint", version, about)]
struct Cli {
    /// Where the stories are kept: a SQLite file (created when missing), or a PostgreSQL
    /// database as `postgres://user:password@host:5432/name` (for several collectors on one
    /// database; see docs/deploy.md).
    #[arg(long, global = true, env = "STORYPOINT_DB", hide_env_values = true, default_value = "storypoint.db", value_parser = parse_database)]
    db: Database,
    /// The folder for recordings of spoken stories; default: beside the database, named
    /// after it (`storypoint-audio/` for `storypoint.db`; with PostgreSQL, `storypoint-audio/`
    /// here: several collectors must share one folder, e.g. a network volume).
    #[arg(long, global = true, env = "STORYPOINT_AUDIO_DIR")]
    audio_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// `storypoint serve` options.
#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "STORYPOINT_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Largest story body accepted, in bytes.
    #[arg(long, env = "STORYPOINT_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
    /// The widget bundle folder (from `cargo xtask dist`); default `dist/storypoint`.
    #[arg(long, env = "STORYPOINT_DIST")]
    dist: Option<PathBuf>,
    /// The most the database may grow to, in MB: past it new stories get a 503 (try
    /// again later) instead of filling the disk. 0: no limit. SQLite only: PostgreSQL's own
    /// administrators set its limits.
    #[arg(long, env = "STORYPOINT_MAX_DB_MB", default_value_t = 10_240)]
    max_db_mb: u64,
    /// Stories accepted per address per minute (also the burst). Generous: a school
    /// class may share one address. Addresses are only hashed, with a daily salt.
    #[arg(long, env = "STORYPOINT_MAX_STORIES_PER_MINUTE", default_value_t = 600)]
    max_stories_per_minute: u32,
    /// The smallest number of stories shown as a number in the insight pages: fewer are
    /// shown as "< N", other counts are rounded to multiples of N, and stories are only
    /// listed in groups of at least N alike tellers. At least 3.
    #[arg(long, env = "STORYPOINT_MIN_CELL", default_value_t = 5, value_parser = clap::value_parser!(u32).range(3..))]
    min_cell: u32,
    /// The smallest group of stories the tests of "Patronen die opvallen" look at
    /// (/admin/inzicht/patronen): smaller groups are left out and named. More than --min-cell.
    #[arg(long, env = "STORYPOINT_MIN_TEST_GROUP", default_value_t = storypoint_insight::MIN_TEST_GROUP)]
    min_test_group: u32,
    /// The largest recording of a spoken story, in MB (413 above it).
    #[arg(long, env = "STORYPOINT_MAX_AUDIO_MB", default_value_t = 25)]
    max_audio_mb: u64,
    /// The longest recording, in minutes (the widget stops there; 413 above it).
    #[arg(long, env = "STORYPOINT_MAX_AUDIO_MINUTES", default_value_t = 5)]
    max_audio_minutes: u32,
    /// The most all recordings together may take, in MB: past it uploads get a 503 (the
    /// widget keeps the recording and tries later) instead of filling the disk.
    #[arg(long, env = "STORYPOINT_MAX_AUDIO_TOTAL_MB", default_value_t = 10_240)]
    max_audio_total_mb: u64,
    /// The questionnaire to serve (a JSON file; see `storypoint questionnaire check`);
    /// default: the built-in Vertelpunt questionnaire. Stories told in a version served
    /// before are still taken, and read against their own version.
    #[arg(long, env = "STORYPOINT_QUESTIONNAIRE")]
    questionnaire: Option<PathBuf>,
    /// A reverse proxy in front of the collector (an address or a range, e.g. 10.0.0.0/8;
    /// repeat or separate with commas): requests from it are counted against the address it
    /// puts in `X-Forwarded-For`, so tellers behind it do not share one limit. Without it,
    /// that header is ignored.
    #[arg(long, env = "STORYPOINT_TRUSTED_PROXY", value_delimiter = ',')]
    trusted_proxy: Vec<storypoint_server::client::Cidr>,
    /// Open connections at once, in all: keep it under the open-file limit (`ulimit -n`).
    /// More are closed at once; slow or idle ones are closed after 10 seconds.
    #[arg(long, env = "STORYPOINT_MAX_CONNECTIONS", default_value_t = storypoint_server::listen::Limits::default().max_connections)]
    max_connections: usize,
    /// Open connections at once from one address (an IPv6 /64); a trusted proxy is not
    /// capped. Generous: a school class may share one address.
    #[arg(long = "max-connections-per-address", env = "STORYPOINT_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = storypoint_server::listen::Limits::default().max_per_client)]
    max_connections_per_client: usize,
    /// Where to report a vulnerability, published as /.well-known/security.txt: a mailto:,
    /// https: or tel: address (repeat or separate with commas). Without it, no such file.
    #[arg(long, env = "STORYPOINT_SECURITY_CONTACT", value_delimiter = ',')]
    security_contact: Vec<String>,
    /// The last day security.txt is valid (YYYY-MM-DD); default: 364 days after the start.
    #[arg(long, env = "STORYPOINT_SECURITY_EXPIRES")]
    security_expires: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the collector: the story endpoint, the links API, the dashboard.
    Serve(ServeArgs),
    /// Print a fresh random admin token (48 hex digits), e.g. for STORYPOINT_ADMIN_TOKEN.
    Token,
    /// Organisation links: import the coordinator's table, list them, make QR flyers.
    Links {
        /// The campaign whose link table this is (default: the collector's own).
        #[arg(long, global = true, default_value = DEFAULT_CAMPAIGN)]
        campaign: String,
        #[command(subcommand)]
        command: LinksCommand,
    },
    /// Copy the database (and the recordings) while the collector runs: a consistent
    /// snapshot by SQLite's online backup API, checked. Restore: stop the collector, put the
    /// copy (and its `-audio` folder) in place of the database, start again. On PostgreSQL:
    /// `pg_dump --format=custom`; restore with `pg_restore --no-owner --dbname URL FILE`.
    Backup {
        /// The new file to write (it must not exist); recordings go to a folder next to it
        /// named after it (`backup-audio/` for `backup.db`).
        out: PathBuf,
    },
    /// Stories: delete one (with its recording), e.g. when a teller asks for it.
    Stories {
        #[command(subcommand)]
        command: StoriesCommand,
    },
    /// Export every story (to standard output unless --out is given).
    Export {
        /// csv (for Dutch Excel: one header row, answers in Dutch words), json (one object
        /// per story), zip (the CSV and every recording of a spoken story), sav (SPSS, with
        /// variable and value labels) or qdpx (REFI-QDA: ATLAS.ti, NVivo, MAXQDA).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The CSV (also in the zip) with question ids and stored values instead of Dutch words.
        #[arg(long)]
        codes: bool,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only this campaign's stories (default: every campaign).
        #[arg(long)]
        campaign: Option<String>,
    },
    /// Questionnaire files.
    Questionnaire {
        #[command(subcommand)]
        command: QuestionnaireCommand,
    },
    /// Campaigns: a region's own Vertelpunt on this collector (create, list), and opening or
    /// closing one (a closed campaign answers new stories with 410).
    Campaign {
        #[command(subcommand)]
        command: CampaignCommand,
    },
}

#[derive(Subcommand)]
enum CampaignCommand {
    /// Make a campaign: its stories go to /api/v1/c/SLUG/stories (the widget's `endpoint`).
    /// It uses this collector's questionnaire; a region may narrow the prompts and name a
    /// theme, never change the questions.
    Create {
        /// Short name in URLs: lowercase letters, digits and dashes (`twente-2027`).
        slug: String,
        /// The name people see ("Vertelpunt Twente 2027").
        #[arg(long)]
        name: String,
        /// The theme the region focuses on.
        #[arg(long)]
        theme: Option<String>,
        /// The eliciting questions offered, by value, comma-separated (default: all).
        #[arg(long, value_delimiter = ',')]
        prompts: Option<Vec<String>>,
        /// The first day stories are accepted (YYYY-MM-DD).
        #[arg(long)]
        opens: Option<String>,
        /// The last day stories are accepted (YYYY-MM-DD).
        #[arg(long)]
        closes: Option<String>,
        /// The page its links point to (`https://…/vertel`), for `links list`, `links qr`.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Every campaign with its state and number of stories.
    List,
    /// Open a campaign again (default: the collector's own).
    Open {
        /// The campaign's slug.
        slug: Option<String>,
        /// The last day stories are accepted (YYYY-MM-DD).
        #[arg(long)]
        closes_at: Option<String>,
    },
    /// Close a campaign now (default: the collector's own).
    Close {
        /// The campaign's slug.
        slug: Option<String>,
    },
}

#[derive(Subcommand)]
enum LinksCommand {
    /// Read the organisation table (CSV: organisatie;type;leeftijd;contact) and make a link
    /// for each new organisation; a corrected row (type, age group, contact) updates its
    /// organisation's link and keeps its code. Nothing is imported when a row is wrong.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// The page the links point to (`https://…/vertel`); kept for the campaign, so
        /// `links list` and `links qr` use it too.
        #[arg(long, env = "STORYPOINT_BASE_URL")]
        base_url: Option<String>,
    },
    /// Print every link: organisation, type and age group in Dutch words, contact, link.
    List {
        /// table, csv (for Excel: `;`, UTF-8 with BOM) or json.
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
        /// The page the links point to (default: the campaign's, from the import).
        #[arg(long, env = "STORYPOINT_BASE_URL")]
        base_url: Option<String>,
    },
    /// End a link (a wrong or old flyer): its code then behaves as unknown (the teller is
    /// asked the organisation); its stories keep their organisation.
    Retire {
        /// The link code.
        code: String,
    },
    /// Write a QR code per link (PNG and SVG), flyers.html and flyers.pdf (one A4 per
    /// organisation) to a folder: the files of the console's QR download.
    Qr {
        /// The folder to write to (created when missing).
        #[arg(long)]
        out: PathBuf,
        /// Only this image format (default: both svg and png).
        #[arg(long, value_enum)]
        format: Option<QrFormat>,
        /// The page the links point to (default: the campaign's, from the import).
        #[arg(long, env = "STORYPOINT_BASE_URL")]
        base_url: Option<String>,
    },
}

#[derive(Subcommand)]
enum QuestionnaireCommand {
    /// Check a questionnaire file: every problem with its JSON path; exit 1 when any.
    Check {
        /// The JSON file.
        file: PathBuf,
    },
    /// Explain in plain words what changed from one questionnaire version to the next, and
    /// which questions' answers can still be compared between them.
    Diff {
        /// The old version (JSON file).
        old: PathBuf,
        /// The new version (JSON file).
        new: PathBuf,
    },
}

#[derive(Subcommand)]
enum StoriesCommand {
    /// Delete a story and its recording for good.
    Delete {
        /// The story's id (the `id` column of the export).
        id: i64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
    Zip,
    Sav,
    Qdpx,
}

impl From<ExportFormat> for export::Format {
    fn from(format: ExportFormat) -> export::Format {
        match format {
            ExportFormat::Csv => export::Format::Csv,
            ExportFormat::Json => export::Format::Json,
            ExportFormat::Zip => export::Format::Zip,
            ExportFormat::Sav => export::Format::Sav,
            ExportFormat::Qdpx => export::Format::Qdpx,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum QrFormat {
    Svg,
    Png,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("storypoint: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Sets a written file's times to the day (see `day_times`).
fn blur(path: &std::path::Path) -> Result<(), String> {
    storypoint_server::day_times::blur(path).map_err(|e| format!("cannot set the day on {}: {e}", path.display()))
}

fn parse_database(db: &str) -> Result<Database, String> {
    Ok(Database::parse(std::ffi::OsStr::new(db)))
}

fn open_store(db: &Database) -> Result<Arc<dyn Store>, String> {
    db.open(None).map_err(|e| format!("cannot open the database {db}: {e}"))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let audio = audio_dir(&cli);
    match cli.command {
        Command::Serve(args) => serve(&cli.db, &audio, args),
        Command::Token => {
            println!("{}", auth::AdminToken::generate().0);
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { out } => {
            let stories = match &cli.db {
                Database::Sqlite(db) => storypoint_server::store::backup(db, &out).map_err(|e| format!("backup failed: {e}"))?,
                Database::Postgres(url) => pg_dump(url, &out)?,
            };
            let stem = out.file_stem().map_or("backup".into(), |s| s.to_string_lossy().into_owned());
            let audio_out = out.with_file_name(format!("{stem}-audio"));
            let mut recordings = 0;
            if audio.is_dir() {
                std::fs::create_dir_all(&audio_out).map_err(|e| format!("cannot make {}: {e}", audio_out.display()))?;
                for entry in std::fs::read_dir(&audio).map_err(|e| e.to_string())? {
                    let path = entry.map_err(|e| e.to_string())?.path();
                    // Parts of uploads still under way are not recordings yet.
                    if path.extension().is_some_and(|e| e == "part" || e == "tmp") {
                        continue;
                    }
                    if let Some(name) = path.file_name() {
                        let copy = audio_out.join(name);
                        std::fs::copy(&path, &copy).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
                        blur(&copy)?;
                        recordings += usize::from(path.extension().is_some_and(|e| e != "json"));
                    }
                }
            }
            // A backup keeps only the day, like what it copies.
            for written in [&audio_out, &out] {
                blur(written)?;
            }
            // Reading the recordings set their folder's access time (best effort).
            let _ = storypoint_server::day_times::blur(&audio);
            eprintln!("backup written to {} ({stories} stories, {recordings} recordings in {})", out.display(), audio_out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Stories { command: StoriesCommand::Delete { id } } => {
            let store = open_store(&cli.db)?;
            let Some(submission_id) = store.delete_story(id).map_err(|e| e.to_string())? else {
                return Err(format!("there is no story {id} (see `storypoint export` for the ids)"));
            };
            if let Ok(submission_id) = storypoint_core::SubmissionId::parse(&submission_id) {
                let audio = storypoint_server::audio::AudioStore::open(&audio, 0, 0, 0).map_err(|e| e.to_string())?;
                audio.delete(&submission_id).map_err(|e| format!("story {id} is deleted, but its recording could not be: {e}"))?;
            }
            eprintln!("story {id} is deleted, with its recording if it had one");
            Ok(ExitCode::SUCCESS)
        }
        Command::Questionnaire { command: QuestionnaireCommand::Check { file } } => check(&file),
        Command::Questionnaire { command: QuestionnaireCommand::Diff { old, new } } => questionnaire_diff(&old, &new),
        Command::Links { campaign, command } => links(&cli.db, &campaign, command),
        Command::Export { format, codes, out, campaign } => {
            let store = open_store(&cli.db)?;
            let mut stories = store.stories().map_err(|e| e.to_string())?;
            if let Some(slug) = &campaign {
                existing(store.as_ref(), Some(slug.clone()))?;
                stories.retain(|s| &s.campaign == slug);
            }
            let history = storypoint_server::versions::kept(store.as_ref()).map_err(|e| e.to_string())?;
            // Where versions differ, the coordinator reads it before comparing.
            eprint!("{}", export::version_notes(&history, &stories));
            // The same function as the downloads.
            let options = export::Options { codes, campaign: campaign.as_deref(), audio: Some(&audio) };
            let bytes = export::write(format.into(), &history, &stories, &options).map_err(|e| format!("{e} (recordings: {})", audio.display()))?;
            match out {
                Some(path) => {
                    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                    eprintln!("{} stories written to {}", stories.len(), path.display());
                }
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&bytes).map_err(|e| e.to_string())?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Campaign { command } => campaign(&cli.db, command),
    }
}

fn campaign(db: &Database, command: CampaignCommand) -> Result<ExitCode, String> {
    let store = open_store(db)?;
    let questionnaire = storypoint_server::versions::kept(store.as_ref()).map_err(|e| e.to_string())?.current().clone();
    match command {
        CampaignCommand::Create { slug, name, theme, prompts, opens, closes, base_url } => {
            // The same rules as the console's form (`storypoint_server::campaigns`).
            let draft = storypoint_server::campaigns::Draft { slug, name, theme, prompts, opens_on: opens, closes_at: closes, base_url };
            let made = storypoint_server::campaigns::create(store.as_ref(), &questionnaire, &draft, false).map_err(|e| e.to_string())?;
            let (campaign, token) = (made.campaign, made.token);
            describe_campaign(&campaign);
            println!("the widget's endpoint for it: /api/v1/c/{}/stories", campaign.slug);
            println!("admin token for this campaign only (shown once; it opens its stories, patterns and export): {token}");
        }
        CampaignCommand::List => {
            println!("slug\tname\tquestionnaire\ttheme\tprompts\topens\tcloses\tstate\tstories");
            for c in store.campaigns().map_err(|e| e.to_string())? {
                let stories = store.counts(Some(&c.slug)).map_err(|e| e.to_string())?.total;
                let state = campaign_state(&c);
                let questionnaire = c.questionnaire.as_ref().map(|(id, v)| format!("{id} v{v}")).unwrap_or_else(|| "-".into());
                let prompts = c.prompts.as_ref().map(|p| p.join(",")).unwrap_or_else(|| "all".into());
                let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                println!(
                    "{}\t{}\t{questionnaire}\t{}\t{prompts}\t{}\t{}\t{state}\t{stories}",
                    c.slug,
                    or_dash(&c.name),
                    or_dash(&c.theme),
                    or_dash(&c.opens_on),
                    or_dash(&c.closes_at)
                );
            }
        }
        CampaignCommand::Open { slug, closes_at } => {
            let mut campaign = existing(store.as_ref(), slug)?;
            storypoint_server::campaigns::open(store.as_ref(), &mut campaign, closes_at.as_deref())
                .map_err(|e| e.to_string().replace("--closes ", "--closes-at "))?;
            describe_campaign(&campaign);
        }
        CampaignCommand::Close { slug } => {
            let mut campaign = existing(store.as_ref(), slug)?;
            // Stories sent within a day after this are still taken (tellers who were writing).
            storypoint_server::campaigns::close(store.as_ref(), &mut campaign, &storypoint_server::app::today()).map_err(|e| e.to_string())?;
            describe_campaign(&campaign);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A base URL as given, if tellers can open it: the console's rule
/// ([`storypoint_server::campaigns::base_url`]), in the CLI's words.
fn checked_base_url(url: &str) -> Result<String, String> {
    storypoint_server::campaigns::base_url(url).map_err(|problem| problem.english())
}

/// The campaign named (default: the collector's own), or an error saying what exists.
fn existing(store: &dyn Store, slug: Option<String>) -> Result<Campaign, String> {
    let slug = slug.unwrap_or_else(|| DEFAULT_CAMPAIGN.into());
    store.find_campaign(&slug).map_err(|e| e.to_string())?.ok_or_else(|| format!("there is no campaign `{slug}` (see `storypoint campaign list`)"))
}

/// `open`, `closed` or `not open yet`, as a teller would find it today.
fn campaign_state(campaign: &Campaign) -> &'static str {
    match campaign.window(&storypoint_server::app::today()) {
        Window::Open => "open",
        Window::NotYetOpen(_) => "not open yet",
        Window::Closed(_) => "closed",
    }
}

fn describe_campaign(campaign: &Campaign) {
    let state = campaign_state(campaign);
    match &campaign.closes_at {
        Some(day) if campaign.open => println!("campaign `{}` is {state}; it closes after {day}", campaign.slug),
        _ => println!("campaign `{}` is {state}", campaign.slug),
    }
}

fn read_questionnaire(file: &std::path::Path) -> Result<Questionnaire, String> {
    let json = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Questionnaire::from_json(&json).map_err(|e| format!("{}: {e} (check it with `storypoint questionnaire check`)", file.display()))
}

fn questionnaire_diff(old: &std::path::Path, new: &std::path::Path) -> Result<ExitCode, String> {
    let (before, after) = (read_questionnaire(old)?, read_questionnaire(new)?);
    println!("Van {} versie {} naar {} versie {}:", before.id, before.version, after.id, after.version);
    let changes = storypoint_core::diff::diff(&before, &after);
    if changes.is_empty() {
        println!("Geen verschil in de vragen: alle antwoorden zijn te vergelijken.");
        return Ok(ExitCode::SUCCESS);
    }
    for change in &changes {
        println!("- {}", change.describe());
    }
    let broken: std::collections::BTreeSet<&str> = changes.iter().filter(|c| !c.keeps_answers_comparable()).map(|c| c.question()).collect();
    let same: Vec<&str> = after.questions().map(|q| q.id.as_str()).filter(|id| before.question(id).is_some() && !broken.contains(id)).collect();
    println!("\nTe vergelijken tussen de versies: {}.", if same.is_empty() { "geen enkele vraag".into() } else { same.join(", ") });
    if !broken.is_empty() {
        println!("Niet (zomaar) te vergelijken: {}.", broken.into_iter().collect::<Vec<_>>().join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// A questionnaire file to serve: read, parsed and checked, or an error naming each problem.
fn load_questionnaire(file: &std::path::Path) -> Result<Questionnaire, String> {
    let questionnaire = read_questionnaire(file)?;
    let problems: Vec<String> = questionnaire.check().iter().map(|p| format!("{}: {p}", file.display())).collect();
    if problems.is_empty() { Ok(questionnaire) } else { Err(format!("the questionnaire has problems:\n{}", problems.join("\n"))) }
}

fn check(file: &std::path::Path) -> Result<ExitCode, String> {
    let json = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let questionnaire = match Questionnaire::from_json(&json) {
        Ok(q) => q,
        Err(error) => {
            println!("{}: {error}", file.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let problems = questionnaire.check();
    if problems.is_empty() {
        println!("{}: ok — `{}` version {}, {} questions", file.display(), questionnaire.id, questionnaire.version, questionnaire.questions().count());
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &problems {
        println!("{}: {problem}", file.display());
    }
    println!("{} problem(s) found", problems.len());
    Ok(ExitCode::FAILURE)
}

/// The page links point to: `given` (then kept for the campaign), else the one kept; an
/// error naming `--base-url` when neither is known.
fn base_url_of(store: &dyn Store, campaign: &mut Campaign, given: Option<String>) -> Result<String, String> {
    if let Some(url) = given {
        let url = checked_base_url(&url)?;
        if campaign.base_url.as_deref() != Some(url.as_str()) {
            campaign.base_url = Some(url.clone());
            store.set_campaign(campaign).map_err(|e| e.to_string())?;
        }
        return Ok(url);
    }
    campaign.base_url.clone().ok_or_else(|| {
        format!(
            "campaign `{}` has no page for its links yet: give it once with --base-url, the address tellers open \
             (https://…/vertel on this collector); it is kept for `links list` and `links qr`",
            campaign.slug
        )
    })
}

fn links(db: &Database, campaign: &str, command: LinksCommand) -> Result<ExitCode, String> {
    use storypoint_server::links as table;
    let store = open_store(db)?;
    let questionnaire = storypoint_server::versions::kept(store.as_ref()).map_err(|e| e.to_string())?.current().clone();
    let mut campaign = existing(store.as_ref(), Some(campaign.to_string()))?;
    let no_links = || format!("no links yet — run `storypoint links import orgs.csv{}` first (see examples/orgs.csv)", campaign_flag(&campaign.slug));
    match command {
        LinksCommand::Import { file, base_url } => {
            let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let checked = storypoint_server::import::table_text(&name, &bytes)
                .map_err(|problem| vec![problem])
                .and_then(|table| storypoint_server::import::check(&table, &questionnaire));
            let rows = match checked {
                Ok(rows) => rows,
                Err(problems) => {
                    for problem in &problems {
                        eprintln!("{}: {problem}", file.display());
                    }
                    eprintln!("nothing was imported: correct the line(s) above and import the file again");
                    return Ok(ExitCode::FAILURE);
                }
            };
            // Kept before importing, so a wrong address stops before anything changes.
            let base_url = match base_url {
                Some(url) => Some(base_url_of(store.as_ref(), &mut campaign, Some(url))?),
                None => campaign.base_url.clone(),
            };
            let report = storypoint_server::import::import(store.as_ref(), &campaign.slug, &rows).map_err(|e| e.to_string())?;
            let url = |row: &storypoint_server::store::LinkRow| base_url.as_deref().map(|b| table::teller_url(b, &row.entry.code)).unwrap_or_default();
            for (word, rows) in [("new", &report.created), ("updated", &report.updated), ("same", &report.unchanged)] {
                for row in rows {
                    println!("{word:<8} {}  {}  {}", row.entry.code, url(row), row.entry.organisation);
                }
            }
            println!(
                "{} new link(s), {} updated (same code, so printed flyers stay valid), {} unchanged.",
                report.created.len(),
                report.updated.len(),
                report.unchanged.len()
            );
            match base_url {
                Some(_) => println!("Next: `storypoint links qr --out flyers{}` for QR codes and flyers.", campaign_flag(&campaign.slug)),
                None => println!(
                    "Next: give the page the links point to once, e.g. `storypoint links list --base-url https://…/vertel{}`.",
                    campaign_flag(&campaign.slug)
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        LinksCommand::Retire { code } => {
            let parsed = LinkCode::parse(code.trim()).map_err(|e| format!("`{code}` is not a link code: {e}"))?;
            match store.retire_link(&parsed).map_err(|e| e.to_string())? {
                Some((slug, organisation)) => {
                    println!(
                        "link {parsed} ({organisation}, campaign `{slug}`) is retired: its code now works as no link; its stories keep their organisation"
                    );
                    Ok(ExitCode::SUCCESS)
                }
                None => Err(format!("there is no active link `{code}` (see `storypoint links list`)")),
            }
        }
        LinksCommand::List { format, base_url } => {
            let links = store.links(&campaign.slug).map_err(|e| e.to_string())?;
            if links.is_empty() {
                eprintln!("{}", no_links());
                return Ok(ExitCode::SUCCESS);
            }
            let base_url = base_url_of(store.as_ref(), &mut campaign, base_url)?;
            match format {
                ListFormat::Json => {
                    // The core's link-table shape, plus the contact and the teller URL.
                    let mut rows = Vec::new();
                    for link in &links {
                        let mut row = serde_json::to_value(&link.entry).map_err(|e| e.to_string())?;
                        row["contact"] = serde_json::json!(link.contact);
                        row["url"] = serde_json::Value::from(table::teller_url(&base_url, &link.entry.code));
                        rows.push(row);
                    }
                    println!("{}", serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?);
                }
                ListFormat::Csv => {
                    use std::io::Write;
                    let csv = export::spreadsheet(table::rows(&questionnaire, &links, &base_url));
                    std::io::stdout().write_all(&csv).map_err(|e| e.to_string())?;
                }
                ListFormat::Table => {
                    let rows = table::rows(&questionnaire, &links, &base_url);
                    let widths: Vec<usize> = (0..rows[0].len()).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
                    for row in &rows {
                        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
                        println!("{}", cells.join("  ").trim_end());
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        LinksCommand::Qr { out, format, base_url } => {
            let links = store.links(&campaign.slug).map_err(|e| e.to_string())?;
            if links.is_empty() {
                eprintln!("{}", no_links());
                return Ok(ExitCode::FAILURE);
            }
            let base_url = base_url_of(store.as_ref(), &mut campaign, base_url)?;
            // Only one image format asked for: leave the other out (the flyers always).
            let keep = |name: &str| match format {
                Some(QrFormat::Svg) => !name.ends_with(".png"),
                Some(QrFormat::Png) => !name.ends_with(".svg"),
                None => true,
            };
            let written =
                storypoint_server::flyer_files::with_flyers(&links, &base_url, |flyers| storypoint_server::flyer_files::write_flyer_files(&out, flyers, keep))
                    .map_err(|e| format!("cannot write to {}: {e}", out.display()))?;
            let kept = written.len();
            println!("{kept} file(s) written to {}; print {} or mail it to each contact", out.display(), out.join("flyers.pdf").display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// ` --campaign SLUG` for a campaign's commands (nothing for the collector's own).
fn campaign_flag(slug: &str) -> String {
    if slug == DEFAULT_CAMPAIGN { String::new() } else { format!(" --campaign {slug}") }
}

/// The recordings folder: `--audio-dir`, or beside the database and named after it.
fn audio_dir(cli: &Cli) -> PathBuf {
    cli.audio_dir.clone().unwrap_or_else(|| match &cli.db {
        Database::Sqlite(db) => {
            let stem = db.file_stem().map_or("storypoint".into(), |s| s.to_string_lossy().into_owned());
            db.with_file_name(format!("{stem}-audio"))
        }
        Database::Postgres(_) => PathBuf::from("storypoint-audio"),
    })
}

/// `storypoint backup` on PostgreSQL: `pg_dump` in its custom format (restore with
/// `pg_restore --dbname URL FILE` into an empty database), then counts the stories.
fn pg_dump(url: &str, out: &std::path::Path) -> Result<i64, String> {
    if out.exists() {
        return Err(format!("{} exists already; choose a new file", out.display()));
    }
    // The password goes by the environment: a command line can be read by any local user.
    let password = url.parse::<postgres::Config>().ok().and_then(|c| c.get_password().map(|p| String::from_utf8_lossy(p).into_owned()));
    let mut command = std::process::Command::new("pg_dump");
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let status = command
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(out)
        .arg(Database::Postgres(url.into()).to_string())
        .status()
        .map_err(|e| format!("cannot run pg_dump ({e}); install PostgreSQL's client tools (apt-get install postgresql-client)"))?;
    if !status.success() {
        return Err(format!("pg_dump failed ({status})"));
    }
    let store = open_store(&Database::Postgres(url.into()))?;
    Ok(store.counts(None).map_err(|e| e.to_string())?.total)
}

fn serve(db: &Database, audio_dir: &std::path::Path, args: ServeArgs) -> Result<ExitCode, String> {
    let ServeArgs {
        addr,
        max_body_bytes,
        dist,
        max_db_mb,
        max_stories_per_minute,
        min_cell,
        min_test_group,
        max_audio_mb,
        max_audio_minutes,
        max_audio_total_mb,
        questionnaire,
        trusted_proxy,
        max_connections,
        max_connections_per_client,
        security_contact,
        security_expires,
    } = args;
    let today = time::OffsetDateTime::now_utc().date();
    let security_txt = match security_contact.is_empty() {
        true => {
            eprintln!("storypoint: no /.well-known/security.txt (set --security-contact mailto:… to publish where to report a vulnerability)");
            None
        }
        false => {
            let expires = security_expires.unwrap_or_else(|| storypoint_server::security_txt::default_expiry(today));
            Some(storypoint_server::security_txt::text(&security_contact, &expires, today).map_err(|e| e.to_string())?.into())
        }
    };
    let proxies = Arc::new(storypoint_server::client::TrustedProxies(trusted_proxy));
    let questionnaire = match questionnaire {
        None => default_questionnaire(),
        Some(file) => load_questionnaire(&file)?,
    };
    let audio = storypoint_server::audio::AudioStore::open(audio_dir, max_audio_mb * 1024 * 1024, max_audio_minutes * 60, max_audio_total_mb * 1024 * 1024)
        .map_err(|e| format!("cannot use the audio folder {}: {e}", audio_dir.display()))?;
    let addr = addr.as_str();
    let bundle = storypoint_server::bundle::Bundle::load(&dist.unwrap_or_else(storypoint_server::bundle::default_dir));
    if bundle.is_empty() {
        eprintln!("storypoint: no widget bundle in {} — run `cargo xtask dist` (the API works without it)", bundle.dir().display());
    }
    let limit = (max_db_mb > 0).then(|| max_db_mb * 1024 * 1024);
    let store = db.open(limit).map_err(|e| format!("cannot open the database {db}: {e}"))?;
    let env_token = std::env::var("STORYPOINT_ADMIN_TOKEN").ok();
    let (admin, new_token) = auth::load_or_create(store.as_ref(), env_token.as_deref()).map_err(|e| e.to_string())?;
    if let Some(token) = new_token {
        println!("admin token (shown once; keep it safe, it opens the dashboard): {token}");
    }
    let history = storypoint_server::versions::serve(store.as_ref(), questionnaire).map_err(|e| e.to_string())?;
    let questionnaire = history.current().clone();
    let insight = storypoint_server::insight::Insight::new(&questionnaire, min_cell).map_err(|e| e.to_string())?;
    let min_test_group = storypoint_server::standouts::MinTestGroup::new(min_test_group, min_cell)?;
    let insight = Arc::new(insight);
    let sessions = storypoint_server::session::SessionKey::load_or_create(store.as_ref()).map_err(|e| e.to_string())?;
    let state = AppState {
        sessions: Arc::new(sessions),
        audio: Arc::new(audio),
        insight: insight.clone(),
        store,
        history: Arc::new(history),
        admin,
        max_body_bytes,
        campaign: DEFAULT_CAMPAIGN.into(),
        bundle: Arc::new(bundle),
        limiter: Arc::new(storypoint_server::limits::RateLimiter::new(max_stories_per_minute)),
        proxies: proxies.clone(),
        security_txt,
        logins: Arc::new(storypoint_server::limits::RateLimiter::per(storypoint_server::app::LOGIN_TRIES, storypoint_server::app::LOGIN_REFILL)),
    };
    let limits = storypoint_server::listen::Limits {
        max_connections: max_connections.max(1),
        max_per_client: max_connections_per_client.max(1),
        ..storypoint_server::listen::Limits::default()
    };
    // Read the stories for the insight pages now, so a coordinator's first view is quick.
    let warm = (state.store.clone(), insight);
    std::thread::spawn(move || {
        if let Err(error) = warm.1.with_data(warm.0.as_ref(), |_| ()) {
            eprintln!("storypoint: could not read the stories for the insight pages yet: {error}");
        }
    });
    // Recordings whose story never came (a teller who left) go after a day, unfinished
    // uploads after an hour without progress; checked every five minutes.
    let sweep = (state.store.clone(), state.audio.clone());
    std::thread::spawn(move || {
        loop {
            let claimed = |id: &storypoint_core::SubmissionId| sweep.0.story_id(&id.to_hyphenated()).map_or(true, |s| s.is_some());
            let (idle, unclaimed) = (storypoint_server::audio::PARTS_EXPIRE, storypoint_server::audio::UNCLAIMED_EXPIRE);
            if let Err(error) = sweep.1.sweep(idle, unclaimed, claimed) {
                eprintln!("storypoint: could not tidy the recordings folder: {error}");
            }
            std::thread::sleep(std::time::Duration::from_secs(300));
        }
    });
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e} (is another storypoint running? try --addr 127.0.0.1:8081)"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        println!("storypoint listening on http://{local} (database {db})");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let app = storypoint_server::standouts::with_min_test_group(app(state), min_test_group);
        storypoint_server::listen::serve(listener, app, limits, proxies, shutdown).await;
        Ok(ExitCode::SUCCESS)
    })
}
