//! The coordinator's workflow through the real `storypoint` command line:
//! import → list → QR → (stories) → export, and the questionnaire check.
mod common;

use common::*;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/orgs.csv");

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn import_list_and_reimport_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let first = cli(&db, &["links", "import", EXAMPLE, "--base-url", "https://vertel.example.nl/vertel"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let rows = std::fs::read_to_string(EXAMPLE).unwrap().lines().filter(|l| !l.trim().is_empty()).count() - 1;
    assert_eq!(stdout(&first).lines().filter(|l| l.starts_with("new ")).count(), rows);
    let again = cli(&db, &["links", "import", EXAMPLE]);
    assert!(stdout(&again).contains(&format!("0 new link(s), 0 updated (same code, so printed flyers stay valid), {rows} unchanged")), "{}", stdout(&again));
    assert!(stdout(&again).contains("https://vertel.example.nl/vertel?sp="), "the import's address is kept: {}", stdout(&again));

    // The address given first is kept for the campaign: list and QR use it without asking.
    let csv = stdout(&cli(&db, &["links", "list", "--format", "csv"]));
    assert!(csv.starts_with("\u{feff}organisatie;type;leeftijd;contact;link"), "Dutch Excel: BOM and `;`: {csv}");
    assert_eq!(csv.lines().count(), rows + 1);
    assert!(csv.contains("https://vertel.example.nl/vertel?sp="), "{csv}");
    assert!(!csv.contains("127.0.0.1"), "never a loopback address nobody gave");
    assert!(
        csv.contains("Basisschool De Vlinderboom;School;Jonger dan 12 jaar;Anouk ter Horst (a.terhorst@example.nl);https://"),
        "Dutch words and the contact: {csv}"
    );

    // Given again, it changes (and stays changed).
    let json: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["links", "list", "--format", "json", "--base-url", "https://x.example/vertel"]).stdout).unwrap();
    let links = json.as_array().unwrap();
    assert_eq!(links.len(), rows);
    for link in links {
        let code = link["code"].as_str().unwrap();
        assert_eq!(link["url"], format!("https://x.example/vertel?sp={code}"));
        storypoint_core::LinkCode::parse(code).unwrap();
    }
    let table = stdout(&cli(&db, &["links", "list"]));
    assert_eq!(table.lines().count(), rows + 1);
    assert!(table.contains("https://x.example/vertel?sp="), "{table}");
}

#[test]
fn without_a_known_address_list_and_qr_ask_for_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let imported = cli(&db, &["links", "import", EXAMPLE]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("--base-url"), "the hint names the option: {}", stdout(&imported));
    assert!(!stdout(&imported).contains("127.0.0.1"), "{}", stdout(&imported));
    for args in [vec!["links", "list"], vec!["links", "qr", "--out", dir.path().join("q").to_str().unwrap()]] {
        let out = cli(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains("--base-url"), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?}: no links printed with a made-up address");
    }
    let bad = cli(&db, &["links", "list", "--base-url", "vertel.example.nl"]);
    assert!(!bad.status.success() && stderr(&bad).contains("https://"), "{}", stderr(&bad));
    // The console's rule: a flyer pointing at the server's own machine reaches no teller.
    for own in ["http://localhost:8080/vertel", "http://127.0.0.1:8080/vertel", "http://[::1]/vertel"] {
        let out = cli(&db, &["links", "list", "--base-url", own]);
        assert!(!out.status.success() && stderr(&out).contains("this machine's own address"), "{own}: {}", stderr(&out));
    }
}

#[test]
fn a_corrected_table_updates_its_links_and_a_retired_link_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let table = dir.path().join("orgs.csv");
    std::fs::write(&table, "organisatie;type;leeftijd;contact\nKikkerpôl;school;12-18;juf@kikkerpol.nl\nWijkteam Zuid;wijkteam;beide;\n").unwrap();
    assert!(cli(&db, &["links", "import", table.to_str().unwrap(), "--base-url", "https://v.example/vertel"]).status.success());
    let list = |db: &std::path::Path| -> Vec<serde_json::Value> {
        serde_json::from_slice::<serde_json::Value>(&cli(db, &["links", "list", "--format", "json"]).stdout).unwrap().as_array().unwrap().clone()
    };
    let before = list(&db);
    // The typo fixed (an age group), the name typed differently, a contact added, one new row.
    std::fs::write(
        &table,
        "organisatie;type;leeftijd;contact\nkikkerpol ;school;0-12;juf@kikkerpol.nl\nWijkteam  zuid;wijkteam;beide;info@zuid.nl\nDe Linde;school;0-12;\n",
    )
    .unwrap();
    let again = cli(&db, &["links", "import", table.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("1 new link(s), 2 updated"), "{}", stdout(&again));
    let after = list(&db);
    assert_eq!(after.len(), 3, "no second link for the same organisation: {after:?}");
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(old["code"], new["code"], "the flyer's code stays valid");
    }
    assert_eq!(after[0]["prefill"], serde_json::json!({"organisation_type": "school", "age_group": "under_12"}));
    assert_eq!(after[1]["contact"], "info@zuid.nl");

    let same = cli(&db, &["links", "import", table.to_str().unwrap()]);
    assert!(stdout(&same).contains("0 new link(s), 0 updated (same code, so printed flyers stay valid), 3 unchanged"), "{}", stdout(&same));

    // Two rows of one organisation cannot both have a link: nothing is imported.
    std::fs::write(&table, "organisatie;type;leeftijd\nDe Linde;school;0-12\nDE LINDE;school;12-18\n").unwrap();
    let twice = cli(&db, &["links", "import", table.to_str().unwrap()]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(stderr(&twice).contains("line 3") && stderr(&twice).contains("line 2"), "{}", stderr(&twice));
    assert_eq!(list(&db).len(), 3);

    let code = after[2]["code"].as_str().unwrap();
    let retired = cli(&db, &["links", "retire", code]);
    assert!(retired.status.success(), "{}", stderr(&retired));
    assert_eq!(list(&db).len(), 2, "a retired link is no longer listed");
    assert!(!cli(&db, &["links", "retire", code]).status.success(), "retired once");
}

#[test]
fn a_table_with_a_bad_row_imports_nothing_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let file = dir.path().join("orgs.csv");
    std::fs::write(&file, "organisatie;type;leeftijd\nDe Linde;school;0-12\nWijkteam Zuid;wijkteam;tieners\nHuisarts;huisarts;beide\n").unwrap();
    let out = cli(&db, &["links", "import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("line 3"), "{}", stderr(&out));
    assert!(stderr(&out).contains("tieners"), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was imported"));
    let list = cli(&db, &["links", "list"]);
    assert!(stderr(&list).contains("no links yet"), "{}", stderr(&list));
}

#[test]
fn qr_codes_decode_to_the_teller_urls_and_flyers_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert!(cli(&db, &["links", "import", EXAMPLE]).status.success());
    let out_dir = dir.path().join("flyers");
    let out = cli(&db, &["links", "qr", "--out", out_dir.to_str().unwrap(), "--base-url", "https://vertel.example.nl/vertel"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["links", "list", "--format", "json", "--base-url", "https://vertel.example.nl/vertel"]).stdout).unwrap();
    let flyers = std::fs::read_to_string(out_dir.join("flyers.html")).unwrap();
    for link in json.as_array().unwrap() {
        let code = link["code"].as_str().unwrap();
        let stem = format!("{}-{code}", storypoint_server::flyer_files::file_safe(link["organisation"].as_str().unwrap()));
        let png = std::fs::read(out_dir.join(format!("{stem}.png"))).unwrap();
        let image = image::load_from_memory(&png).unwrap().into_luma8();
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(image.width() as usize, image.height() as usize, |x, y| image.get_pixel(x as u32, y as u32)[0]);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, link["url"].as_str().unwrap());
        assert!(out_dir.join(format!("{stem}.svg")).exists());
        assert!(flyers.contains(link["url"].as_str().unwrap()));
    }
    // --format png keeps only the PNGs.
    let png_dir = dir.path().join("png");
    assert!(cli(&db, &["links", "qr", "--out", png_dir.to_str().unwrap(), "--format", "png"]).status.success());
    let names: Vec<String> = std::fs::read_dir(&png_dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| n.ends_with(".png") || n.starts_with("flyers.")), "{names:?}");
    assert!(names.contains(&"flyers.pdf".to_string()), "the PDF flyers as in the console: {names:?}");
}

#[test]
fn qr_without_links_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(&dir.path().join("s.db"), &["links", "qr", "--out", dir.path().join("q").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("storypoint links import"));
}

#[test]
fn questionnaire_check_reports_problems_with_paths_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let good = concat!(env!("CARGO_MANIFEST_DIR"), "/../../questionnaires/vertelpunt-jeugdhulp.json");
    let out = cli(&db, &["questionnaire", "check", good]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("ok"));

    let broken = std::fs::read_to_string(good).unwrap().replacen("\"age_group\"", "\"leeftijd\"", 1).replacen("\"under_12\"", "\"Onder12\"", 1);
    let file = dir.path().join("broken.json");
    std::fs::write(&file, broken).unwrap();
    let out = cli(&db, &["questionnaire", "check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("steps[3].questions[1].options[0].value"), "{text}");
    assert!(text.contains("snake_case"), "{text}");
    assert!(text.contains("steps[3].questions[2].visible_if"), "{text}");

    std::fs::write(&file, "{\"id\": \"x\", \"lable\": 1}").unwrap();
    let out = cli(&db, &["questionnaire", "check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("lable"), "{}", stdout(&out));
}

#[test]
fn questionnaire_diff_says_what_changed_and_what_stays_comparable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let old = concat!(env!("CARGO_MANIFEST_DIR"), "/../../questionnaires/vertelpunt-jeugdhulp.json");
    let same = cli(&db, &["questionnaire", "diff", old, old]);
    assert!(same.status.success());
    assert!(stdout(&same).contains("Geen verschil"), "{}", stdout(&same));

    let newer = std::fs::read_to_string(old).unwrap().replacen("\"version\": 1", "\"version\": 2", 1).replacen(
        "{\"value\": \"proud\", \"label\": {\"nl\": \"Trots\"}}",
        "{\"value\": \"proud\", \"label\": {\"nl\": \"Trots\"}}, {\"value\": \"lonely\", \"label\": {\"nl\": \"Eenzaam\"}}",
        1,
    );
    assert!(newer.contains("lonely"), "the edit found its place in the file");
    let file = dir.path().join("v2.json");
    std::fs::write(&file, &newer).unwrap();
    let out = cli(&db, &["questionnaire", "diff", old, file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("versie 1 naar vertelpunt-jeugdhulp versie 2"), "{text}");
    assert!(text.contains("Vraag `emotion` heeft een nieuw antwoord `lonely`"), "{text}");
    assert!(text.contains("Niet (zomaar) te vergelijken: emotion."), "{text}");
    assert!(text.contains("Te vergelijken tussen de versies: prompt, story,"), "{text}");
    let missing = cli(&db, &["questionnaire", "diff", old, "/nowhere.json"]);
    assert!(!missing.status.success() && stderr(&missing).contains("/nowhere.json"));
}

#[test]
fn export_to_a_file_and_the_admin_token_is_generated_once_and_stored_as_a_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    // Without STORYPOINT_ADMIN_TOKEN the first start makes a token and prints it once.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_storypoint"))
        .args(["--db", db.to_str().unwrap(), "serve", "--addr", "127.0.0.1:0"])
        .env_remove("STORYPOINT_ADMIN_TOKEN")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let token_line = lines.next().unwrap().unwrap();
    let token = token_line.rsplit(' ').next().unwrap().to_string();
    assert!(token_line.contains("admin token"), "{token_line}");
    let addr = lines.next().unwrap().unwrap().split("http://").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    assert_eq!(request(&addr, "GET", "/api/v1/stats", &[("Authorization", &format!("Bearer {token}"))], b"").status, 200);
    let _ = child.kill();
    let _ = child.wait();
    let connection = rusqlite::Connection::open(&db).unwrap();
    let stored: String = connection.query_row("SELECT value FROM settings WHERE key = 'admin_token_sha256'", [], |r| r.get(0)).unwrap();
    assert_ne!(stored, token, "only the hash is stored");
    assert_eq!(stored.len(), 64);

    let file = dir.path().join("verhalen.csv");
    let out = cli(&db, &["export", "--format", "csv", "--out", file.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(std::fs::read(&file).unwrap().starts_with(b"\xEF\xBB\xBFNummer;Campagne;Ontvangen op"));
}
