//! The exports as coordinators and researchers download them (the router in-process): CSV
//! for Dutch Excel in words or codes, SPSS `.sav` read back by an independent reader
//! (ReadStat, through Python's pyreadstat), the REFI-QDA `.qdpx` validated against the
//! standard's `Project.xsd` with xmllint, a campaign's token that never gets more than its
//! own campaign, and the command line writing the very bytes of the downloads.
//!
//! `cargo xtask test` installs the readers (`cargo xtask export-readers` installs only them);
//! without them these tests fail and say how to get them.
mod common;
mod in_process;

use std::io::Read;
use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use in_process::*;
use serde_json::{Value, json};
use storypoint_server::state::AppState;

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// A story long enough to need SPSS's very long strings, with letters of two and four bytes.
fn long_story() -> String {
    "Wij wachtten één jaar op hulp 🙂. ".repeat(140)
}

fn story(answers: Value) -> Value {
    let id = storypoint_core::SubmissionId::from_random_bytes(rand::random()).to_hyphenated();
    json!({"questionnaire": "vertelpunt-jeugdhulp", "version": 1, "submission_id": id, "lang": "nl", "answers": answers})
}

/// The collector's stories: three in the default campaign, two in `noord` (with its token).
struct Seeded {
    state: AppState,
    _dir: tempfile::TempDir,
    noord_token: String,
}

async fn seeded() -> Seeded {
    let (state, dir) = collector(64 * 1024);
    let draft = storypoint_server::campaigns::Draft {
        slug: "noord".into(),
        name: "Vertelpunt Noord".into(),
        theme: None,
        prompts: None,
        opens_on: None,
        closes_at: None,
        base_url: None,
    };
    let made = storypoint_server::campaigns::create(state.store.as_ref(), state.history.current(), &draft, false).unwrap();
    let stories = [
        (
            "/api/v1/stories",
            json!({"prompt": "geholpen", "title": "De juf", "story": "De juf luisterde echt naar me.", "emotion": "relieved", "perspective": "young_person",
                   "seen_heard": 80, "effect": "not_applicable", "age_group": "12_to_18"}),
        ),
        (
            "/api/v1/stories",
            json!({"prompt": "veilig", "title": "=HYPERLINK(\"x\")", "story": long_story(), "emotion": "angry", "perspective": "parent", "seen_heard": 5}),
        ),
        ("/api/v1/stories", json!({"prompt": "veilig", "story": "Niemand belde terug.", "emotion": "sad", "perspective": "parent"})),
        (
            "/api/v1/c/noord/stories",
            json!({"prompt": "geholpen", "title": "Noord een", "story": "Het wijkteam kwam snel.", "emotion": "happy", "perspective": "child"}),
        ),
        (
            "/api/v1/c/noord/stories",
            json!({"prompt": "gewoon_leven", "title": "Noord twee", "story": "Gewoon naar school.", "emotion": "proud", "perspective": "child"}),
        ),
    ];
    for (path, answers) in stories {
        let (status, _, reply) = call(&state, "POST", path, &[JSON], story(answers).to_string().as_bytes()).await;
        assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply));
    }
    Seeded { state, _dir: dir, noord_token: made.token }
}

async fn get(state: &AppState, path: &str, token: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    call(state, "GET", path, &[("Authorization", &format!("Bearer {token}"))], b"").await
}

/// The CSV's rows, without the byte order mark.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM for Excel");
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(&bytes[3..]);
    reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
}

fn column(rows: &[Vec<String>], heading: &str) -> usize {
    rows[0].iter().position(|h| h == heading).unwrap_or_else(|| panic!("no column {heading}: {:?}", rows[0]))
}

#[tokio::test]
async fn every_format_downloads_with_its_type_and_name_and_only_with_a_token() {
    let Seeded { state, _dir, .. } = seeded().await;
    for (format, content_type) in
        [("json", "application/json"), ("csv", "text/csv; charset=utf-8"), ("sav", "application/x-spss-sav"), ("qdpx", "application/zip")]
    {
        let path = format!("/api/v1/export.{format}");
        let (status, _, _) = call(&state, "GET", &path, &[], b"").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} without a token");
        for (query, file) in [("", format!("verhalen.{format}")), ("?campaign=noord", format!("verhalen-noord.{format}"))] {
            let (status, headers, body) = get(&state, &format!("{path}{query}"), TOKEN).await;
            assert_eq!(status, StatusCode::OK, "{path}{query}");
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            assert_eq!(header("content-type"), content_type, "{path}");
            assert_eq!(header("content-disposition"), format!("attachment; filename=\"{file}\""), "{path}{query}");
            assert_eq!(header("cache-control"), "no-store");
            assert!(!body.is_empty());
        }
    }
    let (status, _, _) = get(&state, "/api/v1/export.sav?campaign=nergens", TOKEN).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a campaign that does not exist");
}

#[tokio::test]
async fn the_csv_has_one_header_row_and_answers_in_dutch_words_or_codes_on_request() {
    let Seeded { state, _dir, .. } = seeded().await;
    let (_, _, body) = get(&state, "/api/v1/export.csv", TOKEN).await;
    let rows = csv_rows(&body);
    assert_eq!(rows.len(), 1 + 5, "one header row, then one row per story: {:?}", rows[0]);
    for heading in ["Nummer", "Campagne", "Ontvangen op", "Vertelvraag", "Verhaal", "Titel", "Gevoel", "Verteller", "Gezien en gehoord", "Effect", "Opname"] {
        column(&rows, heading);
    }
    let headings: Vec<String> = rows[0].iter().map(|h| h.to_lowercase()).collect();
    assert!(headings.iter().all(|h| headings.iter().filter(|o| *o == h).count() == 1), "unique headings for filters and pivot tables: {:?}", rows[0]);
    assert!(rows[0].iter().all(|h| h.chars().count() <= 45), "short headings: {:?}", rows[0]);
    let first = &rows[1];
    assert_eq!(first[column(&rows, "Gevoel")], "Opgelucht");
    assert_eq!(first[column(&rows, "Verteller")], "Jongere (12 tot 18 jaar)");
    assert_eq!(first[column(&rows, "Vertelvraag")], "Geholpen…");
    assert_eq!(first[column(&rows, "Leeftijdsgroep")], "12 tot 18 jaar");
    assert_eq!(first[column(&rows, "Gezien en gehoord")], "80");
    assert_eq!(first[column(&rows, "Effect")], "Weet ik niet / past niet");
    assert_eq!(first[column(&rows, "Campagne")], "default");
    assert_eq!(rows[2][column(&rows, "Titel")], "'=HYPERLINK(\"x\")", "a formula is neutralised");
    assert_eq!(rows[2][column(&rows, "Verhaal")], long_story().trim_end(), "the whole story");
    let day = &first[column(&rows, "Ontvangen op")];
    assert!(day.len() == 10 && !day.contains(':'), "the day only: {day}");
    assert!(rows.iter().flatten().all(|cell| !["relieved", "young_person", "not_applicable", "12_to_18"].contains(&cell.as_str())), "no codes");

    let (_, _, body) = get(&state, "/api/v1/export.csv?codes=1", TOKEN).await;
    let codes = csv_rows(&body);
    assert_eq!(codes.len(), 1 + 5);
    assert_eq!(codes[0][..3], ["id", "campaign", "received_on"]);
    assert_eq!(codes[1][column(&codes, "emotion")], "relieved");
    assert_eq!(codes[1][column(&codes, "perspective")], "young_person");
    assert_eq!(codes[1][column(&codes, "effect")], "not_applicable");
    assert_eq!(codes[1][column(&codes, "prompt")], "geholpen");
}

#[tokio::test]
async fn a_campaign_token_gets_only_its_own_campaign_in_every_format() {
    let Seeded { state, _dir, noord_token } = seeded().await;
    for query in ["", "?campaign=default", "?campaign=all"] {
        let (_, headers, body) = get(&state, &format!("/api/v1/export.csv{query}"), &noord_token).await;
        let rows = csv_rows(&body);
        assert_eq!(rows.len(), 1 + 2, "{query}: {rows:?}");
        assert!(rows[1..].iter().all(|r| r[column(&rows, "Campagne")] == "noord"), "{query}");
        assert!(headers.get("content-disposition").unwrap().to_str().unwrap().contains("verhalen-noord.csv"));

        let (_, _, body) = get(&state, &format!("/api/v1/export.json{query}"), &noord_token).await;
        let stories: Vec<Value> = serde_json::from_slice(&body).unwrap();
        assert!(stories.len() == 2 && stories.iter().all(|s| s["campaign"] == "noord"), "{query}");

        let (_, _, body) = get(&state, &format!("/api/v1/export.sav{query}"), &noord_token).await;
        let sav = read_sav(&body);
        let campaigns: Vec<&Value> = sav["rows"].as_array().unwrap().iter().map(|r| &r["campaign"]).collect();
        assert_eq!(campaigns, [&json!("noord"), &json!("noord")], "{query}");

        let (_, _, body) = get(&state, &format!("/api/v1/export.qdpx{query}"), &noord_token).await;
        let project = Qdpx::open(&body);
        assert_eq!(project.sources().len(), 2, "{query}");
        assert!(project.xml.contains("Noord een") && !project.xml.contains("De juf"), "{query}");
    }
    // The collector's token: every campaign, or the one it names.
    let (_, _, body) = get(&state, "/api/v1/export.qdpx", TOKEN).await;
    assert_eq!(Qdpx::open(&body).sources().len(), 5);
    let (_, _, body) = get(&state, "/api/v1/export.sav?campaign=default", TOKEN).await;
    assert_eq!(read_sav(&body)["rows"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn the_sav_file_reads_back_with_its_names_labels_and_values() {
    let Seeded { state, _dir, .. } = seeded().await;
    let (_, _, body) = get(&state, "/api/v1/export.sav", TOKEN).await;
    assert_eq!(&body[..4], b"$FL2");
    assert!(body.windows(17).any(|w| w == b"01 Jan 7000:00:00"), "a fixed creation time, never the export's");
    let sav = read_sav(&body);
    let names: Vec<&str> = sav["names"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for name in ["id", "campaign", "received_on", "prompt", "story", "title", "emotion", "seen_heard", "effect", "perspective", "organisation_type", "audio"] {
        assert!(names.contains(&name), "variable {name}: {names:?}");
    }
    let q = storypoint_core::default_questionnaire();
    let label = |id: &str| q.question(id).unwrap().label.get(storypoint_core::Lang::NL).to_string();
    for id in ["emotion", "seen_heard", "perspective", "story"] {
        assert_eq!(sav["labels"][id], json!(label(id)), "the variable label of {id} is the question");
    }
    // Value labels: the options in the questionnaire's order, numbered from 1, in Dutch.
    let emotion = storypoint_core::default_questionnaire().question("emotion").unwrap().kind.clone();
    let options = emotion.option_values().unwrap();
    for (at, value) in options.iter().enumerate() {
        let word = emotion.option_label(value).unwrap().get(storypoint_core::Lang::NL);
        assert_eq!(sav["value_labels"]["emotion"][format!("{}", at + 1)], json!(word), "emotion {value}");
    }
    assert_eq!(sav["value_labels"]["seen_heard"]["-1"], json!("Weet ik niet / past niet"));
    assert_eq!(sav["value_labels"]["seen_heard"]["0"], json!("Helemaal niet"));
    assert_eq!(sav["missing"]["effect"], json!([-1.0]), "does not apply is declared missing");
    assert_eq!(sav["formats"]["received_on"], json!("DATE11"));
    assert_eq!(sav["formats"]["story"], json!(format!("A{}", long_story().trim_end().len())), "as wide as the longest story in bytes");

    let rows = sav["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let code = |value: &str| json!((options.iter().position(|o| *o == value).unwrap() + 1) as f64);
    assert_eq!(rows[0]["emotion"], code("relieved"));
    assert_eq!((&rows[0]["seen_heard"], &rows[0]["effect"]), (&json!(80.0), &json!(-1.0)));
    assert_eq!(rows[0]["story"], json!("De juf luisterde echt naar me."));
    assert_eq!(rows[0]["title"], json!("De juf"));
    assert_eq!(rows[0]["received_on"], json!(storypoint_server::app::today()), "an SPSS date: the day");
    assert_eq!(rows[1]["emotion"], code("angry"));
    assert_eq!(rows[1]["story"], json!(long_story().trim_end()), "a very long string comes back whole");
    assert_eq!(rows[2]["seen_heard"], Value::Null, "not answered: system-missing");
    assert_eq!(rows[3]["campaign"], json!("noord"));
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_f64().unwrap() as i64).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}

#[tokio::test]
async fn the_qdpx_project_is_valid_against_the_standard_and_holds_every_story() {
    let Seeded { state, _dir, .. } = seeded().await;
    let (_, _, body) = get(&state, "/api/v1/export.qdpx", TOKEN).await;
    let project = Qdpx::open(&body);
    project.validate();
    let sources = project.sources();
    assert_eq!(sources.len(), 5);
    for (name, path) in &sources {
        let file = path.strip_prefix("internal://").unwrap_or_else(|| panic!("an internal source: {path}"));
        let text = project.files.iter().find(|(n, _)| *n == format!("sources/{file}")).map(|(_, t)| t.clone()).unwrap_or_else(|| panic!("no file for {name}"));
        assert!(!text.is_empty());
    }
    let text_of = |name: &str| {
        let (_, path) = sources.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no source {name}: {sources:?}"));
        let file = format!("sources/{}", path.trim_start_matches("internal://"));
        project.files.iter().find(|(n, _)| *n == file).unwrap().1.clone()
    };
    let first = sources[0].0.clone();
    assert!(first.ends_with(": De juf"), "{first}");
    assert_eq!(text_of(&first), "De juf\n\nDe juf luisterde echt naar me.\n");
    assert!(text_of(&sources[1].0).contains(long_story().trim_end()));
    // The answers as a case's variables, in Dutch words.
    assert!(project.xml.contains("name=\"Gevoel\" typeOfVariable=\"Text\""), "{}", project.xml);
    assert!(project.xml.contains("name=\"Gezien en gehoord\" typeOfVariable=\"Integer\""));
    assert!(project.xml.contains("<TextValue>Opgelucht</TextValue>") && project.xml.contains("<IntegerValue>80</IntegerValue>"));
    assert_eq!(project.xml.matches("<Case ").count(), 5);
    assert_eq!(project.xml.matches("<SourceRef ").count(), 5);
    assert!(!project.xml.contains("DateTime"), "no time in the project");
    // The same stories give the same project: nothing random, no time.
    let (_, _, again) = get(&state, "/api/v1/export.qdpx", TOKEN).await;
    assert_eq!(again, body);
}

#[test]
fn the_command_line_writes_the_same_files_as_the_downloads() {
    let server = common::Server::start();
    for _ in 0..3 {
        assert_eq!(server.post_json("/api/v1/stories", &common::story(&common::submission_id(), None).to_string()).status, 201);
    }
    let cases: [(&str, &[&str], &str); 6] = [
        ("csv", &[], ""),
        ("csv", &["--codes"], "?codes=1"),
        ("json", &[], ""),
        ("sav", &[], ""),
        ("qdpx", &[], ""),
        ("qdpx", &["--campaign", "default"], "?campaign=default"),
    ];
    for (format, options, query) in cases {
        let out = server.cli(&[&["export", "--format", format], options].concat());
        assert!(out.status.success(), "{format} {options:?}: {}", String::from_utf8_lossy(&out.stderr));
        let download = server.admin_get(&format!("/api/v1/export.{format}{query}"));
        assert_eq!(download.status, 200);
        assert!(out.stdout == download.body, "{format} {options:?}: the command line and the download differ");
    }
}

#[test]
fn archives_carry_a_fixed_date_never_the_time_of_the_export() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.webm"), b"opname").unwrap();
    let history = storypoint_core::diff::History::only(storypoint_core::default_questionnaire());
    let story = storypoint_server::store::StoredStory {
        id: 1,
        received_on: "2026-12-07".into(),
        questionnaire: "vertelpunt-jeugdhulp".into(),
        version: 1,
        lang: "nl".into(),
        link: None,
        answers: json!({"title": "Ingesproken", "emotion": "happy"}).as_object().cloned().unwrap(),
        audio: Some("a.webm".into()),
        campaign: "default".into(),
    };
    let options = storypoint_server::export::Options { audio: Some(dir.path()), ..Default::default() };
    for format in [storypoint_server::export::Format::Zip, storypoint_server::export::Format::Qdpx] {
        let bytes = storypoint_server::export::write(format, &history, std::slice::from_ref(&story), &options).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert!(archive.len() >= 2);
        for at in 0..archive.len() {
            let entry = archive.by_index(at).unwrap();
            let when = entry.last_modified().unwrap_or_default();
            assert_eq!((when.year(), when.month(), when.day(), when.hour(), when.minute()), (1980, 1, 1, 0, 0), "{format:?}: {}", entry.name());
            assert!(entry.extra_data().is_none_or(<[u8]>::is_empty), "{format:?}: no extended timestamps in {}", entry.name());
        }
    }
}

/// Version 2 of the default questionnaire: `treatment` gone, `proud` gone from `emotion`, and
/// a multiple-choice question `help` added.
fn two_versions() -> storypoint_core::diff::History {
    use storypoint_core::{ChoiceOption, QuestionKind, Text};
    let v1 = storypoint_core::default_questionnaire();
    let mut v2 = v1.clone();
    v2.version = 2;
    for step in &mut v2.steps {
        step.questions.retain(|q| q.id != "treatment");
        for question in &mut step.questions {
            if let (true, QuestionKind::SingleChoice { options }) = (question.id == "emotion", &mut question.kind) {
                options.retain(|o| o.value != "proud");
            }
        }
    }
    let mut help = v1.question("happened_when").unwrap().clone();
    help.id = "help".into();
    help.label = Text::dutch("Welke hulp kreeg je?");
    let options =
        [("praten", "Iemand om mee te praten"), ("wonen", "Een plek om te wonen")].map(|(v, l)| ChoiceOption { value: v.into(), label: Text::dutch(l) });
    help.kind = QuestionKind::MultipleChoice { options: options.to_vec(), max_choices: None };
    v2.steps[1].questions.push(help);
    storypoint_core::diff::History::new(v2, vec![v1])
}

fn stored(id: i64, version: u32, answers: Value) -> storypoint_server::store::StoredStory {
    storypoint_server::store::StoredStory {
        id,
        received_on: "2026-11-30".into(),
        questionnaire: "vertelpunt-jeugdhulp".into(),
        version,
        lang: "nl".into(),
        link: None,
        answers: answers.as_object().cloned().unwrap(),
        audio: None,
        campaign: "default".into(),
    }
}

#[test]
fn older_versions_and_multiple_choice_read_back_in_spss_and_the_project_stays_valid() {
    use storypoint_server::export::{Format, Options, write};
    let history = two_versions();
    let stories = [
        stored(1, 1, json!({"title": "Oud", "story": "Toen.", "emotion": "proud", "treatment": "warm"})),
        stored(2, 2, json!({"title": "Nieuw", "story": "Nu.", "emotion": "sad", "help": ["wonen"]})),
        stored(3, 2, json!({"title": "Zonder hulp", "story": "Niets.", "help": []})),
    ];
    let sav = read_sav(&write(Format::Sav, &history, &stories, &Options::default()).unwrap());
    assert_eq!(sav["labels"]["treatment"], json!("Hoe gingen de mensen in je verhaal met elkaar om? (alleen tot versie 1)"));
    assert_eq!(sav["labels"]["help_wonen"], json!("Welke hulp kreeg je?: Een plek om te wonen"));
    assert_eq!(sav["value_labels"]["help_wonen"], json!({"0": "niet gekozen", "1": "gekozen"}));
    let rows = sav["rows"].as_array().unwrap();
    let wonen: Vec<&Value> = rows.iter().map(|r| &r["help_wonen"]).collect();
    assert_eq!(wonen, [&Value::Null, &json!(1.0), &json!(0.0)], "not asked, chosen, answered without it");
    assert_eq!(rows[1]["help_praten"], json!(0.0));
    // `proud` is kept after the current options, named as version 1 named it.
    let proud = rows[0]["emotion"].as_f64().unwrap();
    assert_eq!(sav["value_labels"]["emotion"][format!("{proud}")], json!("Trots"));
    assert_eq!(sav["value_labels"]["treatment"][format!("{}", rows[0]["treatment"].as_f64().unwrap())], json!("Warm en vriendelijk"));

    let csv = csv_rows(&write(Format::Csv, &history, &stories, &Options::default()).unwrap());
    assert_eq!(csv[1][column(&csv, "Gevoel")], "Trots");
    assert_eq!(csv[1][column(&csv, "Omgang (tot versie 1)")], "Warm en vriendelijk");
    let wonen = column(&csv, "Welke hulp kreeg je: Een plek om te wonen");
    assert_eq!([csv[1][wonen].as_str(), csv[2][wonen].as_str(), csv[3][wonen].as_str()], ["", "1", "0"]);

    let project = Qdpx::open(&write(Format::Qdpx, &history, &stories, &Options::default()).unwrap());
    project.validate();
    assert!(project.xml.contains("typeOfVariable=\"Boolean\"") && project.xml.contains("<BooleanValue>true</BooleanValue>"));
    assert!(project.xml.contains("Verhalen uit versie 1"), "the notes on what does not map: {}", project.xml);
}

#[tokio::test]
async fn a_campaign_without_stories_gives_files_that_still_open() {
    let Seeded { state, _dir, .. } = seeded().await;
    let draft = storypoint_server::campaigns::Draft {
        slug: "leeg".into(),
        name: "Nog leeg".into(),
        theme: None,
        prompts: None,
        opens_on: None,
        closes_at: None,
        base_url: None,
    };
    storypoint_server::campaigns::create(state.store.as_ref(), state.history.current(), &draft, false).unwrap();
    let (_, _, body) = get(&state, "/api/v1/export.sav?campaign=leeg", TOKEN).await;
    let sav = read_sav(&body);
    assert_eq!(sav["rows"], json!([]));
    assert!(sav["names"].as_array().unwrap().contains(&json!("emotion")));
    let (_, _, body) = get(&state, "/api/v1/export.qdpx?campaign=leeg", TOKEN).await;
    let project = Qdpx::open(&body);
    project.validate();
    assert!(project.sources().is_empty());
    let (_, _, body) = get(&state, "/api/v1/export.csv?campaign=leeg", TOKEN).await;
    assert_eq!(csv_rows(&body).len(), 1, "the header row only");
}

/// A `.qdpx` opened: its `project.qde` and its other files.
struct Qdpx {
    xml: String,
    files: Vec<(String, String)>,
    dir: tempfile::TempDir,
}

impl Qdpx {
    fn open(bytes: &[u8]) -> Qdpx {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a qdpx is a zip");
        let mut files = Vec::new();
        for at in 0..archive.len() {
            let mut entry = archive.by_index(at).unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("UTF-8");
            files.push((entry.name().to_string(), text));
        }
        let xml = files.iter().find(|(n, _)| n == "project.qde").map(|(_, t)| t.clone()).expect("project.qde");
        assert!(files.iter().all(|(n, _)| n == "project.qde" || n.starts_with("sources/")), "{:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
        Qdpx { xml, files, dir: tempfile::tempdir().unwrap() }
    }

    /// Each text source's name and path, in order.
    fn sources(&self) -> Vec<(String, String)> {
        self.xml
            .split("<TextSource ")
            .skip(1)
            .map(|s| {
                let attr = |name: &str| s.split(&format!(" {name}=\"")).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
                (attr("name").replace("&quot;", "\""), attr("plainTextPath"))
            })
            .collect()
    }

    /// Validates `project.qde` against the standard's schema with xmllint.
    fn validate(&self) {
        let qde = self.dir.path().join("project.qde");
        std::fs::write(&qde, &self.xml).unwrap();
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/refi-qda/Project.xsd");
        let out = std::process::Command::new(tool("xmllint")).args(["--noout", "--schema"]).arg(&schema).arg(&qde).output().expect("xmllint runs");
        assert!(out.status.success(), "project.qde is not valid against Project.xsd:\n{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// A reader the tests need, or a failure that says how to install it.
fn tool(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"), PathBuf::from);
    let path = match name {
        "python" => target.join("export-readers/bin/python"),
        other => std::env::var_os("PATH")
            .into_iter()
            .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
            .map(|dir| dir.join(other))
            .find(|p| p.is_file())
            .unwrap_or_default(),
    };
    assert!(
        path.is_file(),
        "{name} is missing: the export tests read the files back with independent readers (pyreadstat in target/export-readers, xmllint from \
         Debian's libxml2-utils). `cargo xtask export-readers` installs them (`cargo xtask test` does it too)."
    );
    path
}

/// The `.sav` as pyreadstat reads it: variable names, labels, value labels, user-missing
/// values, formats and the rows (dates as `YYYY-MM-DD`, system-missing as null).
fn read_sav(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verhalen.sav");
    std::fs::write(&file, bytes).unwrap();
    const SCRIPT: &str = r#"
import json, math, sys, datetime, pyreadstat
df, meta = pyreadstat.read_sav(sys.argv[1], user_missing=True)
def plain(v):
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and math.isnan(v):
        return None
    return v
def number(k):
    return str(int(k)) if float(k).is_integer() else str(k)
print(json.dumps({
    "names": meta.column_names,
    "labels": meta.column_names_to_labels,
    "value_labels": {v: {number(k): l for k, l in labels.items()} for v, labels in meta.variable_value_labels.items()},
    "missing": {v: [r["lo"] for r in ranges] for v, ranges in meta.missing_ranges.items()},
    "formats": meta.original_variable_types,
    "rows": [{c: plain(v) for c, v in row.items()} for row in df.to_dict(orient="records")],
}))
"#;
    let out = std::process::Command::new(tool("python")).args(["-c", SCRIPT]).arg(&file).output().expect("python runs");
    assert!(out.status.success(), "pyreadstat could not read the .sav:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
