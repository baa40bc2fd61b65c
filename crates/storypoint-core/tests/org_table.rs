//! The coordinator's organisation table: spreadsheet CSV in, link rows or line-numbered
//! errors out.
use storypoint_core::org_table::{ImportError, ImportRow, parse_org_table};
use storypoint_core::{LinkCode, LinkEntry, Questionnaire, default_questionnaire};

fn q() -> Questionnaire {
    default_questionnaire()
}

fn parse(text: &str) -> Result<Vec<ImportRow>, Vec<ImportError>> {
    parse_org_table(text.as_bytes(), &q())
}

fn ok(text: &str) -> Vec<ImportRow> {
    match parse(text) {
        Ok(rows) => rows,
        Err(errors) => panic!("expected the table to import, got {errors:#?}"),
    }
}

fn errors(text: &str) -> Vec<ImportError> {
    match parse(text) {
        Ok(rows) => panic!("expected errors, the table imported as {rows:#?}"),
        Err(errors) => errors,
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The prefill of one data row under the given header.
fn prefill_of(header: &str, row: &str) -> Vec<(String, String)> {
    let rows = ok(&format!("{header}\n{row}\n"));
    assert_eq!(rows.len(), 1);
    rows[0].prefill.clone()
}

#[test]
fn a_dutch_excel_file_with_bom_accents_quotes_and_an_embedded_semicolon() {
    let text = "\u{FEFF}Organisatie;Type;Leeftijd;Contactpersoon\r\n\
        Basisschool 't Gijmink;basisschool;0-12;Anouk Ter Horst\r\n\
        \"Zorggroep Noë; locatie Hengelo\";Jeugdhulp;beide;\"René \"\"Ton\"\" Smit\"\r\n\
        Café-project Zoë;anders;12-18;\r\n";
    let rows = ok(text);
    assert_eq!(
        rows,
        vec![
            ImportRow {
                line: 2,
                organisation: "Basisschool 't Gijmink".into(),
                contact: Some("Anouk Ter Horst".into()),
                prefill: pairs(&[("organisation_type", "school"), ("age_group", "under_12")]),
            },
            ImportRow {
                line: 3,
                organisation: "Zorggroep Noë; locatie Hengelo".into(),
                contact: Some("René \"Ton\" Smit".into()),
                prefill: pairs(&[("organisation_type", "care_provider"), ("age_group", "unknown")]),
            },
            ImportRow {
                line: 4,
                organisation: "Café-project Zoë".into(),
                contact: None,
                prefill: pairs(&[("organisation_type", "other"), ("age_group", "12_to_18")]),
            },
        ]
    );
}

#[test]
fn an_english_comma_file_with_perspective_and_extra_columns() {
    let text = "organisation,organisation_type,age_group,perspective,contact,notes\n\
        Neighbourhood Team Oost,neighbourhood_team,under_12,parent,team@example.nl,\"call first, mornings\"\n\
        City of Enschede,Municipality,12_to_18,professional,,\n";
    let rows = ok(text);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].organisation, "Neighbourhood Team Oost");
    assert_eq!(rows[0].contact.as_deref(), Some("team@example.nl"));
    assert_eq!(rows[0].prefill, pairs(&[("organisation_type", "neighbourhood_team"), ("age_group", "under_12"), ("perspective", "parent")]));
    assert_eq!(rows[1].line, 3);
    assert_eq!(rows[1].contact, None);
    assert_eq!(rows[1].prefill, pairs(&[("organisation_type", "municipality"), ("age_group", "12_to_18"), ("perspective", "professional")]));
}

#[test]
fn headers_are_case_insensitive_trimmed_and_in_any_order() {
    let rows = ok(" LEEFTIJD ; Opmerkingen ;  Soort;ORGANISATIE \nonbekend;bel na 3 uur;huisarts;Huisartsen Boekelo\n");
    assert_eq!(rows[0].organisation, "Huisartsen Boekelo");
    assert_eq!(rows[0].prefill, pairs(&[("organisation_type", "gp"), ("age_group", "unknown")]));
}

#[test]
fn empty_cells_are_not_prefilled_so_the_teller_is_asked() {
    let rows = ok("organisatie;type;leeftijd;perspectief;contact\nWijkteam Noord;;;;\n");
    assert_eq!(rows[0].prefill, Vec::<(String, String)>::new());
    assert_eq!(rows[0].contact, None);
}

#[test]
fn the_organisation_name_is_not_in_the_prefill_but_a_link_adds_it() {
    let rows = ok("organisatie;type;leeftijd\nWijkteam Noord;wijkteam;beide\n");
    let row = &rows[0];
    assert!(row.prefill.iter().all(|(id, _)| id != "organisation"));
    let entry = LinkEntry { code: LinkCode::parse("k7Q2xd9a").unwrap(), organisation: row.organisation.clone(), prefill: row.prefill.clone() };
    let prefilled = entry.prefill(&q());
    assert!(prefilled.warnings.is_empty(), "{:?}", prefilled.warnings);
    assert_eq!(prefilled.prefill.get("organisation").and_then(|a| a.as_str()), Some("Wijkteam Noord"));
    assert_eq!(prefilled.prefill.get("age_group").and_then(|a| a.as_str()), Some("unknown"));
}

#[test]
fn one_bad_row_among_good_rows_fails_the_table_with_its_line_number() {
    let text = "organisatie;type;leeftijd\n\
        School A;school;0-12\n\
        School B;school;12-18\n\
        Wijkteam C;wijkteam;beide\n\
        Zorg D;jeugdhulp;onbekend\n\
        Huisarts E;huisarts;0-12\n\
        Jongerenwerk F;anders;tieners\n\
        Gemeente G;gemeente;beide\n";
    let errors = errors(text);
    assert_eq!(errors, vec![ImportError { line: 7, message: "age group 'tieners' is not one of 0-12, 12-18, beide, onbekend".into() }]);
    assert_eq!(errors[0].to_string(), "line 7: age group 'tieners' is not one of 0-12, 12-18, beide, onbekend");
}

#[test]
fn every_bad_row_is_reported() {
    let text = "organisatie;type;leeftijd;perspectief\n\
        Goed;school;0-12;\n\
        Fout 1;kinderopvang;0-12;\n\
        Fout 2;school;peuters;\n\
        Goed 2;wijkteam;beide;ouder\n\
        Fout 3;zwembad;pubers;opa\n\
        ;school;0-12;\n";
    let errors = errors(text);
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4, 6, 6, 6, 7], "{errors:#?}");
    assert!(errors[0].message.contains("organisation type 'kinderopvang' is not one of jeugdhulp, wijkteam, school"));
    assert!(errors[1].message.contains("age group 'peuters'"));
    assert!(errors[2].message.contains("'zwembad'"));
    assert!(errors[3].message.contains("'pubers'"));
    assert!(errors[4].message.contains("perspective 'opa' is not one of kind, jongere, ouder, professional, anders"));
    assert!(errors[5].message.contains("organisation name is empty"));
}

#[test]
fn a_missing_organisation_column_names_the_columns_found() {
    let errors = errors("naam;type;leeftijd\nSchool A;school;0-12\n");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line, 1);
    assert!(errors[0].message.contains("'organisatie'"), "{}", errors[0].message);
    assert!(errors[0].message.contains("'naam', 'type', 'leeftijd'"), "{}", errors[0].message);
}

#[test]
fn missing_type_or_age_columns_are_reported_too() {
    let errors = errors("organisatie;leeftijdgroep\nSchool A;0-12\n");
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().all(|e| e.line == 1));
    assert!(errors[0].message.contains("'type'"));
    assert!(errors[1].message.contains("'leeftijd'"));
    assert!(errors[1].message.contains("'leeftijdgroep'"), "the columns found are named");
}

#[test]
fn two_columns_for_the_same_thing_are_an_error() {
    let errors = errors("organisatie;type;soort;leeftijd\nA;school;school;0-12\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 1);
    assert!(errors[0].message.contains("'type' and 'soort'"), "{}", errors[0].message);
}

#[test]
fn an_empty_organisation_value_is_an_error() {
    let errors = errors("organisatie;type;leeftijd;contact\nSchool A;school;0-12;\n   ;school;0-12;meester Jan\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].message.contains("organisation name is empty"));
}

#[test]
fn an_overlong_organisation_name_is_caught_by_the_core() {
    let name = "x".repeat(250);
    let errors = errors(&format!("organisatie;type;leeftijd\n{name};school;0-12\n"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 2);
    assert!(errors[0].message.contains("250 characters; at most 200"), "{}", errors[0].message);
}

#[test]
fn crlf_lf_and_a_missing_last_line_end_read_the_same() {
    let lf = "organisatie;type;leeftijd\nA;school;0-12\nB;wijkteam;beide\n";
    let crlf = lf.replace('\n', "\r\n");
    let no_end = lf.trim_end();
    assert_eq!(ok(lf), ok(&crlf));
    assert_eq!(ok(lf), ok(no_end));
    assert_eq!(ok(lf).len(), 2);
}

#[test]
fn blank_lines_and_empty_rows_are_skipped_but_counted() {
    let text = "organisatie;type;leeftijd\r\n\
        \r\n\
        A;school;0-12\r\n\
        ;;\r\n\
        \x20 ; ;\r\n\
        B;school;tieners\r\n\
        \r\n\r\n;;\r\n";
    let errors = errors(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 6, "the spreadsheet shows the empty rows, so B is row 6");
    let fixed = text.replace("tieners", "12-18");
    let rows = ok(&fixed);
    assert_eq!(rows.iter().map(|r| (r.line, r.organisation.as_str())).collect::<Vec<_>>(), vec![(3, "A"), (6, "B")]);
}

#[test]
fn a_line_break_inside_a_cell_does_not_shift_the_line_numbers() {
    let text = "organisatie;type;leeftijd;contact\n\
        \"Basisschool\nDe Esch\";school;0-12;\"Anna\n06-12345678\"\n\
        Wijkteam;wijkteam;tieners;\n";
    let errors = errors(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    let rows = ok(&text.replace("tieners", "beide"));
    assert_eq!(rows[0].organisation, "Basisschool De Esch", "a line break in a name is a space");
    assert_eq!(rows[0].contact.as_deref(), Some("Anna\n06-12345678"));
    assert_eq!(rows[1].line, 3);
}

#[test]
fn non_utf8_bytes_ask_for_csv_utf8() {
    // "Café" as an old Excel writes it: Windows-1252, é = 0xE9.
    let bytes = b"organisatie;type;leeftijd\r\nCaf\xE9 De Jeugd;anders;beide\r\n";
    let errors = parse_org_table(bytes, &q()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 2);
    assert!(errors[0].message.contains("CSV UTF-8"), "{}", errors[0].message);
    assert!(errors[0].message.contains("not UTF-8"), "{}", errors[0].message);

    let utf16 = [0xFF, 0xFE, b'o', 0, b'r', 0, b'g', 0];
    let errors = parse_org_table(&utf16, &q()).unwrap_err();
    assert_eq!(errors[0].line, 1);
    assert!(errors[0].message.contains("CSV UTF-8"));
}

#[test]
fn an_empty_file_or_a_header_alone_is_an_error() {
    for text in ["", "\u{FEFF}", "\r\n\r\n", ";;\n"] {
        let errors = errors(text);
        assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("empty"));
    }
    let errors = errors("organisatie;type;leeftijd\r\n\r\n");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("no organisations"));
}

#[test]
fn an_unclosed_quote_is_an_error_not_a_swallowed_file() {
    let errors = errors("organisatie;type;leeftijd\nA;school;0-12\n\"B;school;0-12\nC;school;0-12\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].message.contains("quote"));
}

#[test]
fn every_age_alias_maps_right() {
    let table = [
        ("0-12", "under_12"),
        ("0 - 12", "under_12"),
        ("0–12", "under_12"),
        ("<12", "under_12"),
        ("onder 12", "under_12"),
        ("Onder 12", "under_12"),
        ("under_12", "under_12"),
        ("Jonger dan 12 jaar", "under_12"),
        ("12-18", "12_to_18"),
        ("12 - 18", "12_to_18"),
        ("12_to_18", "12_to_18"),
        ("12 tot 18 jaar", "12_to_18"),
        ("beide", "unknown"),
        ("Beide", "unknown"),
        ("onbekend", "unknown"),
        ("allebei", "unknown"),
        ("both", "unknown"),
        ("unknown", "unknown"),
        ("UNKNOWN", "unknown"),
        ("0-18", "unknown"),
        (" alle leeftijden ", "unknown"),
    ];
    for (cell, value) in table {
        assert_eq!(prefill_of("organisatie;type;leeftijd", &format!("X;;{cell}")), pairs(&[("age_group", value)]), "{cell:?}");
    }
}

#[test]
fn every_type_alias_maps_right() {
    let table = [
        ("jeugdhulp", "care_provider"),
        ("zorgaanbieder", "care_provider"),
        ("zorg", "care_provider"),
        ("Jeugdzorg", "care_provider"),
        ("care_provider", "care_provider"),
        ("Jeugdhulp of zorg", "care_provider"),
        ("wijkteam", "neighbourhood_team"),
        ("sociaal wijkteam", "neighbourhood_team"),
        ("Sociaal  Wijkteam", "neighbourhood_team"),
        ("neighbourhood_team", "neighbourhood_team"),
        ("Neighbourhood team", "neighbourhood_team"),
        ("school", "school"),
        ("basisschool", "school"),
        ("middelbare school", "school"),
        ("SCHOOL", "school"),
        ("huisarts", "gp"),
        ("gp", "gp"),
        ("Family doctor (GP)", "gp"),
        ("gemeente", "municipality"),
        ("municipality", "municipality"),
        ("jeugdbescherming", "youth_protection"),
        ("gecertificeerde instelling", "youth_protection"),
        ("youth_protection", "youth_protection"),
        ("Child protection service", "youth_protection"),
        ("anders", "other"),
        ("overig", "other"),
        ("other", "other"),
        ("Iets anders", "other"),
    ];
    for (cell, value) in table {
        assert_eq!(prefill_of("organisatie;type;leeftijd", &format!("X;{cell};")), pairs(&[("organisation_type", value)]), "{cell:?}");
    }
}

#[test]
fn every_perspective_alias_maps_right() {
    let table = [
        ("kind", "child"),
        ("child", "child"),
        ("jongere", "young_person"),
        ("young_person", "young_person"),
        ("Young person", "young_person"),
        ("ouder", "parent"),
        ("ouders", "parent"),
        ("Parent", "parent"),
        ("professional", "professional"),
        ("Professional", "professional"),
        ("anders", "other"),
        ("other", "other"),
    ];
    for (cell, value) in table {
        assert_eq!(prefill_of("organisatie,type,leeftijd,perspectief", &format!("X,,,{cell}")), pairs(&[("perspective", value)]), "{cell:?}");
    }
}

#[test]
fn every_header_alias_is_understood() {
    for organisation in ["organisatie", "Organisation", "ORGANISATIE"] {
        for kind in ["type", "organisation_type", "soort", "Organisation type"] {
            for age in ["leeftijd", "age_group", "leeftijdscategorie", "Age group"] {
                for (perspective, contact) in [("perspectief", "contact"), ("perspective", "contactpersoon")] {
                    let header = format!("{organisation};{kind};{age};{perspective};{contact}");
                    let rows = ok(&format!("{header}\nA;wijkteam;12-18;jongere;Jan\n"));
                    assert_eq!(rows[0].organisation, "A", "{header}");
                    assert_eq!(rows[0].contact.as_deref(), Some("Jan"), "{header}");
                    assert_eq!(
                        rows[0].prefill,
                        pairs(&[("organisation_type", "neighbourhood_team"), ("age_group", "12_to_18"), ("perspective", "young_person")]),
                        "{header}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_questionnaire_decides_which_values_exist() {
    // Another region dropped the GP option: `huisarts` is no longer accepted.
    let mut questionnaire = q();
    for step in &mut questionnaire.steps {
        for question in &mut step.questions {
            if question.id == "organisation_type" {
                if let storypoint_core::QuestionKind::SingleChoice { options } = &mut question.kind {
                    options.retain(|o| o.value != "gp");
                }
            }
        }
    }
    let text = "organisatie;type;leeftijd\nA;huisarts;0-12\nB;school;0-12\n";
    let errors = parse_org_table(text.as_bytes(), &questionnaire).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line, 2);
    assert!(errors[0].message.contains("'huisarts' means 'gp'"), "{}", errors[0].message);
}

#[test]
fn the_sample_table_in_examples_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/orgs.csv");
    let bytes = std::fs::read(path).expect("examples/orgs.csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "saved with a BOM, as Excel does");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF, as Excel writes");
    let rows = parse_org_table(&bytes, &q()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!((5..=6).contains(&rows.len()));
    let types: Vec<&str> = rows.iter().filter_map(|r| r.prefill.iter().find(|(id, _)| id == "organisation_type")).map(|(_, v)| v.as_str()).collect();
    for kind in ["school", "neighbourhood_team", "care_provider", "gp"] {
        assert!(types.contains(&kind), "{kind} in {types:?}");
    }
    assert!(rows.iter().any(|r| r.prefill.contains(&("age_group".into(), "unknown".into()))), "a provider for all ages");
    for row in &rows {
        let entry = LinkEntry { code: LinkCode::parse("k7Q2xd9a").unwrap(), organisation: row.organisation.clone(), prefill: row.prefill.clone() };
        assert!(entry.prefill(&q()).warnings.is_empty());
        assert!(row.contact.is_some());
    }
}

mod hostile {
    use proptest::prelude::*;
    use storypoint_core::org_table::parse_org_table;

    const EXAMPLE: &[u8] = include_bytes!("../../../examples/orgs.csv");

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        /// Any bytes, and the example table with a stretch replaced: an answer, never a panic.
        #[test]
        fn any_table_is_read_or_refused_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..300), at in 0usize..600, len in 0usize..30, with in prop::collection::vec(any::<u8>(), 0..20)) {
            let q = storypoint_core::default_questionnaire();
            let _ = parse_org_table(&bytes, &q);
            let mut mangled = EXAMPLE.to_vec();
            let at = at.min(mangled.len());
            let end = (at + len).min(mangled.len());
            mangled.splice(at..end, with);
            match parse_org_table(&mangled, &q) {
                Ok(rows) => prop_assert!(rows.iter().all(|r| !r.organisation.trim().is_empty())),
                Err(errors) => prop_assert!(!errors.is_empty() && errors.iter().all(|e| e.line >= 1)),
            }
        }
    }
}
