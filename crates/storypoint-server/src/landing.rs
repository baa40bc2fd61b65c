//! What a teller meets of a campaign before the first question: the landing page
//! `/vertel?sp=CODE` (the campaign of the code: its endpoint, prompts, name and theme, or a
//! notice when it is closed or not open yet), and the same facts as JSON for the widget on a
//! partner page (`GET …/campaign`). Pure: the handlers in `app.rs` read the store.
use storypoint_core::{Lang, QuestionKind, Questionnaire};

use crate::store::{Campaign, DEFAULT_CAMPAIGN, Window};

/// The public API paths of a campaign, below `/api/v1/` (the widget's `endpoint` is
/// `{base}stories`).
pub fn api_base(campaign: &Campaign) -> String {
    match campaign.slug.as_str() {
        DEFAULT_CAMPAIGN => "/api/v1/".into(),
        slug => format!("/api/v1/c/{slug}/"),
    }
}

/// The questionnaire narrowed to the campaign's prompts (checked when it was made). A prompt
/// a later version no longer has drops out; the others stay the campaign's choice (all
/// prompts only when none of its own is left).
pub fn questionnaire_of(questionnaire: &Questionnaire, campaign: &Campaign) -> Questionnaire {
    match offered_prompts(questionnaire, campaign) {
        Some(still) => questionnaire.with_prompts(&still).unwrap_or_else(|_| questionnaire.clone()),
        None => questionnaire.clone(),
    }
}

/// The prompts the campaign offers of `questionnaire`'s, or `None` for all of them.
fn offered_prompts(questionnaire: &Questionnaire, campaign: &Campaign) -> Option<Vec<String>> {
    let prompts = campaign.prompts.as_ref()?;
    let existing: Vec<&str> = questionnaire
        .questions()
        .filter(|q| matches!(q.kind, QuestionKind::PromptChoice { .. }))
        .flat_map(|q| q.kind.option_values().unwrap_or_default())
        .collect();
    let still: Vec<String> = prompts.iter().filter(|p| existing.contains(&p.as_str())).cloned().collect();
    (!still.is_empty() && still.len() < existing.len()).then_some(still)
}

/// A day (`YYYY-MM-DD`) as the Netherlands writes it: `30-06-2027`.
fn dutch_day(day: &str) -> String {
    let mut parts: Vec<&str> = day.split('-').collect();
    parts.reverse();
    parts.join("-")
}

/// What a teller reads instead of the questions when the campaign does not take stories
/// now: a title and a sentence with the day, in `lang` (Dutch where it has no word).
pub fn notice(window: &Window, lang: Lang) -> Option<(String, String)> {
    let word = |key: &str| {
        storypoint_core::shipped(lang)
            .and_then(|t| t.word(key))
            .or_else(|| storypoint_core::shipped(Lang::NL).and_then(|t| t.word(key)))
            .unwrap_or_default()
            .to_string()
    };
    let (title, text, day) = match window {
        Window::Open => return None,
        Window::NotYetOpen(first) => ("notice_opens_title", "notice_opens_text", Some(first)),
        Window::Closed(Some(last)) => ("notice_closed_title", "notice_closed_text", Some(last)),
        Window::Closed(None) => ("notice_closed_title", "notice_closed_undated", None),
    };
    let text = word(text).replace("{date}", &day.map(|d| dutch_day(d)).unwrap_or_default());
    Some((word(title), text))
}

/// `GET /api/v1/campaign` (or `/api/v1/c/{slug}/campaign`) for the widget on a partner
/// page: whether it takes stories (and if not, the notice in `lang`), and the prompts it
/// offers (`null`: all of the questionnaire's).
pub fn info(campaign: &Campaign, questionnaire: &Questionnaire, today: &str, lang: Lang) -> serde_json::Value {
    let window = campaign.window(today);
    let notice = notice(&window, lang).map(|(title, text)| serde_json::json!({"title": title, "text": text}));
    serde_json::json!({
        "campaign": campaign.slug,
        "name": campaign.name,
        "open": window == Window::Open,
        // Still taken (a day after closing): a teller with a draft may send it.
        "accepts": campaign.accepts_on(today),
        "opens_on": campaign.opens_on,
        "closes_at": campaign.closes_at,
        "prompts": offered_prompts(questionnaire, campaign),
        "notice": notice,
    })
}

/// What the landing page of a campaign shows below its header ([`crate::pages::landing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing<'a> {
    /// Closed or not open yet: this notice (title, text) in plain Dutch, and no widget.
    Notice {
        /// What the notice says in its heading.
        title: String,
        /// Its sentence, with the day.
        text: String,
    },
    /// Open: the widget posting to `endpoint`, with the campaign's own `questionnaire`
    /// address when it narrows the prompts or serves another questionnaire, and else the
    /// first screen prerendered (so the first question can be answered before the wasm
    /// arrives).
    Widget {
        /// Where the widget posts stories (its `endpoint` attribute).
        endpoint: String,
        /// Where it reads the campaign's questionnaire (its `questionnaire` attribute).
        questionnaire: Option<String>,
        /// The first screen as HTML, made by the widget itself when the bundle was built.
        first_screen: Option<&'a str>,
    },
}

/// What the landing page for `campaign` shows on `today`, with `served` the questionnaire
/// it serves and `prerendered` the bundle's first screen of the built-in questionnaire.
pub fn landing<'a>(campaign: &Campaign, served: &Questionnaire, prerendered: Option<&'a str>, today: &str) -> Landing<'a> {
    if let Some((title, text)) = notice(&campaign.window(today), Lang::NL) {
        return Landing::Notice { title, text };
    }
    let base = api_base(campaign);
    let narrowed = offered_prompts(served, campaign).is_some();
    let questionnaire = (narrowed || *served != storypoint_core::default_questionnaire()).then(|| format!("{base}questionnaire"));
    // The prerendered screen is the built-in questionnaire's, with every prompt.
    let first_screen = prerendered.filter(|_| questionnaire.is_none());
    Landing::Widget { endpoint: format!("{base}stories"), questionnaire, first_screen }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_shows_the_widget_posting_to_it_with_its_prompts_or_a_notice() {
        let served = storypoint_core::default_questionnaire();
        let widget = |endpoint: &str, questionnaire: Option<&str>, first_screen| Landing::Widget {
            endpoint: endpoint.into(),
            questionnaire: questionnaire.map(Into::into),
            first_screen,
        };
        let default = landing(&Campaign::unmade(DEFAULT_CAMPAIGN), &served, Some("<p>first</p>"), "2027-03-01");
        assert_eq!(default, widget("/api/v1/stories", None, Some("<p>first</p>")), "the built-in first screen, prerendered");

        let mut zwolle = Campaign::unmade("zwolle-2027");
        assert_eq!(landing(&zwolle, &served, None, "2027-03-01"), widget("/api/v1/c/zwolle-2027/stories", None, None));
        zwolle.prompts = Some(vec!["geholpen".into(), "veilig".into()]);
        let open = landing(&zwolle, &served, Some("<p>first</p>"), "2027-03-01");
        let narrowed = widget("/api/v1/c/zwolle-2027/stories", Some("/api/v1/c/zwolle-2027/questionnaire"), None);
        assert_eq!(open, narrowed, "the prerendered screen offers every prompt");

        zwolle.opens_on = Some("2027-04-01".into());
        let Landing::Notice { title, text } = landing(&zwolle, &served, None, "2027-03-01") else { panic!("not open yet") };
        assert!(title.contains("nog niet open") && text.contains("01-04-2027"), "{title} {text}");
        zwolle.opens_on = None;
        zwolle.closes_at = Some("2027-02-28".into());
        let Landing::Notice { title, text } = landing(&zwolle, &served, None, "2027-03-01") else { panic!("closed") };
        assert!(title.contains("gesloten") && text.contains("28-02-2027"), "{title} {text}");
    }

    #[test]
    fn a_campaign_takes_stories_while_open_and_for_a_day_after_it_closed() {
        let dated = |opens: Option<&str>, closes: Option<&str>| Campaign {
            opens_on: opens.map(Into::into),
            closes_at: closes.map(Into::into),
            ..Campaign::unmade("x")
        };
        let by_hand = |on: Option<&str>| Campaign { open: false, closed_on: on.map(Into::into), ..Campaign::unmade("x") };
        let cases: &[(Campaign, &str, Window, bool)] = &[
            (dated(None, None), "2027-01-01", Window::Open, true),
            (dated(Some("2027-01-15"), None), "2027-01-14", Window::NotYetOpen("2027-01-15".into()), false),
            (dated(Some("2027-01-15"), None), "2027-01-15", Window::Open, true),
            (dated(None, Some("2027-06-30")), "2027-06-30", Window::Open, true),
            (dated(None, Some("2027-06-30")), "2027-07-01", Window::Closed(Some("2027-06-30".into())), true),
            (dated(None, Some("2027-06-30")), "2027-07-02", Window::Closed(Some("2027-06-30".into())), false),
            (dated(None, Some("2027-12-31")), "2028-01-01", Window::Closed(Some("2027-12-31".into())), true),
            (by_hand(Some("2027-03-01")), "2027-03-01", Window::Closed(Some("2027-03-01".into())), true),
            (by_hand(Some("2027-03-01")), "2027-03-02", Window::Closed(Some("2027-03-01".into())), true),
            (by_hand(Some("2027-03-01")), "2027-03-03", Window::Closed(Some("2027-03-01".into())), false),
            (by_hand(None), "2027-03-01", Window::Closed(None), false),
        ];
        for (campaign, today, window, accepts) in cases {
            assert_eq!(&campaign.window(today), window, "{campaign:?} on {today}");
            assert_eq!(campaign.accepts_on(today), *accepts, "{campaign:?} on {today}");
        }
    }
}
