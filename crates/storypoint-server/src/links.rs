//! A campaign's links as the coordinator sends them back to the organisations: the teller's
//! address of each, and the table (`storypoint links list`) in Dutch words.
use storypoint_core::org_table::{AGE_GROUP, ORGANISATION_TYPE};
use storypoint_core::{Lang, LinkCode, Questionnaire};

use crate::store::LinkRow;

/// The address a teller opens for a link: the campaign's page with `?sp=CODE`.
pub fn teller_url(base_url: &str, code: &LinkCode) -> String {
    let separator = if base_url.contains('?') { '&' } else { '?' };
    format!("{base_url}{separator}sp={code}")
}

/// The links as rows (a header first): organisation, type and age group in the
/// questionnaire's Dutch words, contact, link.
pub fn rows(questionnaire: &Questionnaire, links: &[LinkRow], base_url: &str) -> Vec<Vec<String>> {
    let words = |link: &LinkRow, question: &str| {
        let value = link.entry.prefill.iter().find(|(id, _)| id == question).map(|(_, value)| value.as_str());
        value
            .map(|value| {
                questionnaire.question(question).and_then(|q| q.kind.option_label(value)).map_or(value.to_string(), |label| label.get(Lang::NL).to_string())
            })
            .unwrap_or_default()
    };
    let header = ["organisatie", "type", "leeftijd", "contact", "link"].map(String::from).to_vec();
    let body = links.iter().map(|link| {
        vec![
            link.entry.organisation.clone(),
            words(link, ORGANISATION_TYPE),
            words(link, AGE_GROUP),
            link.contact.clone().unwrap_or_default(),
            teller_url(base_url, &link.entry.code),
        ]
    });
    std::iter::once(header).chain(body).collect()
}
