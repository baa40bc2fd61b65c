//! What a teller meets of a campaign before the first question: the landing page
//! `/vertel?sp=CODE` (the campaign of the code: its endpoint, prompts, name and theme, or a
//! notice when it is closed or not open yet), and the same facts as JSON for the widget on a
//! partner page (`GET …/campaign`). Pure: the handlers in `app.rs` read the store.
use storypoint_core::{Lang, Questionnaire, QuestionKind};

use crate::html::escape;
use crate::store::{Campaign, DEFAULT_CAMPAIGN, Window};

const VERTEL_HTML: &str = include_str!("../../../www/vertel.html");
const ELEMENT: &str = "<story-point endpoint=\"/api/v1/stories\" lang=\"nl\"></story-point>";
const HEADER: &str = "<h1>Vertel je verhaal</h1>";
const STYLESHEET: &str = "<link rel=\"stylesheet\" href=\"/assets/vertel.css\">";

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

/// The landing page for `campaign`. Open: the widget posting to the campaign's endpoint
/// (with its prompts; the first screen prerendered when it is the built-in questionnaire as
/// is, so the first question can be answered before the wasm arrives). Closed or not open
/// yet: the notice in plain Dutch and no form.
pub fn page(campaign: &Campaign, served: &Questionnaire, prerendered: Option<&str>, today: &str) -> String {
    let mut page = VERTEL_HTML.to_string();
    if let Some(name) = &campaign.name {
        let theme = campaign.theme.as_deref().map(|t| format!("\n    <p class=\"theme\">Thema: {}</p>", escape(t))).unwrap_or_default();
        page = page.replacen(HEADER, &format!("<h1>{}</h1>{theme}", escape(name)), 1);
    }
    if let Some((title, text)) = notice(&campaign.window(today), Lang::NL) {
        let notice = format!("<section class=\"notice\" role=\"status\"><h2>{}</h2><p>{}</p></section>", escape(&title), escape(&text));
        // No widget at all: nothing to fill in, no script to load.
        return page
            .lines()
            .filter(|line| !line.contains("/storypoint/storypoint"))
            .collect::<Vec<_>>()
            .join("\n")
            .replacen(ELEMENT, &notice, 1);
    }
    let base = api_base(campaign);
    let narrowed = offered_prompts(served, campaign).is_some();
    let mut attributes = format!("endpoint=\"{base}stories\" lang=\"nl\"");
    if narrowed || *served != storypoint_core::default_questionnaire() {
        attributes.push_str(&format!(" questionnaire=\"{base}questionnaire\""));
    }
    let element = match prerendered.filter(|_| !attributes.contains("questionnaire=")) {
        Some(first_screen) => {
            page = page.replacen(STYLESHEET, &format!("{STYLESHEET}\n  <link rel=\"preload\" href=\"/storypoint/storypoint.css\" as=\"style\">"), 1);
            format!(
                "<story-point {attributes}><template shadowrootmode=\"open\"><link rel=\"stylesheet\" href=\"/storypoint/storypoint.css\">{first_screen}</template></story-point>"
            )
        }
        None => format!("<story-point {attributes}></story-point>"),
    };
    page.replacen(ELEMENT, &element, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(slug: &str) -> Campaign {
        Campaign { name: Some("Vertelpunt Zwolle <2027>".into()), theme: Some("Passend onderwijs".into()), ..Campaign::unmade(slug) }
    }

    #[test]
    fn the_page_has_every_marker_it_fills_in() {
        for marker in [ELEMENT, HEADER, STYLESHEET] {
            assert!(VERTEL_HTML.contains(marker), "www/vertel.html lost `{marker}`: the landing page would not change");
        }
    }

    #[test]
    fn a_campaign_page_posts_to_its_campaign_with_its_prompts_or_shows_a_notice() {
        let served = storypoint_core::default_questionnaire();
        let default = page(&Campaign::unmade(DEFAULT_CAMPAIGN), &served, Some("<p>first</p>"), "2027-03-01");
        assert!(default.contains("endpoint=\"/api/v1/stories\""));
        assert!(default.contains("<p>first</p>"), "the built-in first screen, prerendered");

        let mut zwolle = campaign("zwolle-2027");
        zwolle.prompts = Some(vec!["geholpen".into(), "veilig".into()]);
        let open = page(&zwolle, &served, Some("<p>first</p>"), "2027-03-01");
        assert!(open.contains("endpoint=\"/api/v1/c/zwolle-2027/stories\" lang=\"nl\" questionnaire=\"/api/v1/c/zwolle-2027/questionnaire\""), "{open}");
        assert!(!open.contains("<p>first</p>"), "the prerendered screen offers every prompt");
        assert!(open.contains("<h1>Vertelpunt Zwolle &lt;2027&gt;</h1>") && open.contains("Thema: Passend onderwijs"));

        zwolle.opens_on = Some("2027-04-01".into());
        let early = page(&zwolle, &served, None, "2027-03-01");
        assert!(early.contains("nog niet open") && early.contains("01-04-2027"), "{early}");
        assert!(!early.contains("<story-point") && !early.contains("storypoint.js"), "no form, no widget");

        zwolle.opens_on = None;
        zwolle.closes_at = Some("2027-02-28".into());
        let closed = page(&zwolle, &served, None, "2027-03-01");
        assert!(closed.contains("gesloten") && closed.contains("28-02-2027"), "{closed}");
        assert!(!closed.contains("<story-point"));
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
