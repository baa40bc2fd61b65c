//! A campaign's link table as the coordinator keeps it: one link per organisation, found
//! again by its name when a corrected table is imported, so a flyer's code stays valid.
//! What an import does is decided here, once, for both stores.
use storypoint_core::LinkEntry;
use storypoint_core::org_table::ImportRow;
use unicode_normalization::UnicodeNormalization;

/// What makes two names the same organisation: the name without case, accents and runs
/// of white space (`"Kikkerpôl  "` and `"kikkerpol"` are one organisation), so a corrected
/// table updates its links instead of making new ones.
pub fn organisation_key(name: &str) -> String {
    let folded: String = name.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Rows of one table that name the same organisation (by [`organisation_key`]): a re-import
/// could not tell which one a link is for. One message per later row, with both lines.
pub fn same_organisation_twice(rows: &[ImportRow]) -> Vec<String> {
    let mut problems = Vec::new();
    for (at, row) in rows.iter().enumerate() {
        let key = organisation_key(&row.organisation);
        if let Some(earlier) = rows[..at].iter().find(|earlier| organisation_key(&earlier.organisation) == key) {
            problems.push(format!(
                "line {}: '{}' is on line {} already (names are compared without case, spaces and accents); keep one row per organisation",
                row.line, row.organisation, earlier.line
            ));
        }
    }
    problems
}

/// An organisation row to make (or update) a link for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLink {
    /// The organisation's name.
    pub organisation: String,
    /// The coordinator's contact at the organisation (never shown to tellers).
    pub contact: Option<String>,
    /// Question id and value pairs the link fills in.
    pub prefill: Vec<(String, String)>,
}

/// A link of a campaign's table with what only the coordinators see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRow {
    /// The code, the organisation and what the link fills in.
    pub entry: LinkEntry,
    /// The coordinator's contact at the organisation.
    pub contact: Option<String>,
}

/// What an import did, row by row in the table's order.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    /// Links made now.
    pub created: Vec<LinkRow>,
    /// Links of an organisation already there whose type, age group, contact or spelling
    /// changed: same code, new prefill.
    pub updated: Vec<LinkRow>,
    /// Links the table already had exactly so.
    pub unchanged: Vec<LinkRow>,
}

/// What to do with one row of an imported table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Planned<'a> {
    /// No link of the campaign has this organisation: make one.
    Create(&'a NewLink),
    /// The organisation has this link (by name, ignoring case, spaces and accents), and
    /// the row changes it: keep the code, store the row.
    Update(&'a LinkRow, &'a NewLink),
    /// The organisation's link says exactly what the row says.
    Unchanged(&'a LinkRow),
}

/// What an import of `rows` does to a campaign that has the (active) links `existing`.
pub fn plan<'a>(existing: &'a [LinkRow], rows: &'a [NewLink]) -> Vec<Planned<'a>> {
    rows.iter()
        .map(|row| {
            let key = organisation_key(&row.organisation);
            // The newest link of that name (an older table may have made several).
            match existing.iter().rev().find(|link| organisation_key(&link.entry.organisation) == key) {
                None => Planned::Create(row),
                Some(link) if link.entry.organisation == row.organisation && link.entry.prefill == row.prefill && link.contact == row.contact => {
                    Planned::Unchanged(link)
                }
                Some(link) => Planned::Update(link, row),
            }
        })
        .collect()
}

impl LinkRow {
    /// The link `code` becomes for `row`.
    pub fn with(code: storypoint_core::LinkCode, row: &NewLink) -> LinkRow {
        LinkRow { entry: LinkEntry { code, organisation: row.organisation.clone(), prefill: row.prefill.clone() }, contact: row.contact.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storypoint_core::LinkCode;

    fn row(name: &str, age: &str, contact: Option<&str>) -> NewLink {
        NewLink {
            organisation: name.into(),
            contact: contact.map(Into::into),
            prefill: vec![("organisation_type".into(), "school".into()), ("age_group".into(), age.into())],
        }
    }

    #[test]
    fn names_are_the_same_organisation_without_case_accents_and_spaces() {
        assert_eq!(organisation_key("  Kikkerpôl\n  West "), "kikkerpol west");
        assert_eq!(organisation_key("CBS Het Kompas"), organisation_key("cbs het  kompas"));
        assert_ne!(organisation_key("Kompas"), organisation_key("Het Kompas"));
    }

    #[test]
    fn a_corrected_row_updates_its_link_and_a_new_name_makes_one() {
        let code = LinkCode::parse("k7Q2xd9a").unwrap();
        let existing = [LinkRow::with(code, &row("Kikkerpôl", "under_12", Some("juf@kikkerpol.nl")))];
        let cases: &[(NewLink, &str)] = &[
            (row("Kikkerpôl", "under_12", Some("juf@kikkerpol.nl")), "unchanged"),
            (row("  kikkerpol ", "under_12", Some("juf@kikkerpol.nl")), "update"),
            (row("KIKKERPÔL", "12_to_18", Some("juf@kikkerpol.nl")), "update"),
            (row("Kikkerpôl", "under_12", None), "update"),
            (row("Kikkerpôl West", "under_12", None), "create"),
        ];
        for (new, expected) in cases {
            let rows = [new.clone()];
            let planned = plan(&existing, &rows);
            let got = match &planned[0] {
                Planned::Create(_) => "create",
                Planned::Update(link, _) => {
                    assert_eq!(link.entry.code, code, "an update keeps the code");
                    "update"
                }
                Planned::Unchanged(_) => "unchanged",
            };
            assert_eq!(got, *expected, "{new:?}");
        }
    }
}
