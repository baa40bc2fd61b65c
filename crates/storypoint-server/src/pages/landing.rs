//! The landing page `/vertel?sp=CODE` in the one layout: the campaign's header (its name and
//! theme), the widget posting to the campaign (or the notice when it does not take stories
//! now: no form, no script) and what happens with a story. What it shows is decided in
//! [`crate::landing`].
use maud::{Markup, PreEscaped, html};

use crate::landing::Landing;
use crate::pages::{Head, document};
use crate::store::Campaign;

/// The page for `campaign`, showing `what` ([`crate::landing::landing`]).
pub fn page(campaign: &Campaign, what: &Landing<'_>) -> Markup {
    let extra = match what {
        // No widget at all: nothing to fill in, no script to load.
        Landing::Notice { .. } => html! {},
        Landing::Widget { first_screen, .. } => html! {
            link rel="modulepreload" href="/storypoint/storypoint.js";
            link rel="preload" href="/storypoint/storypoint_bg.wasm" as="fetch" type="application/wasm" crossorigin;
            // The Dutch words and the default questionnaire, which the element fetches beside the wasm.
            link rel="preload" href="/storypoint/lang/nl.json" as="fetch" type="application/json" crossorigin;
            @if first_screen.is_some() {
                link rel="preload" href="/storypoint/storypoint.css" as="style";
            }
            script type="module" src="/storypoint/storypoint.js" {}
        },
    };
    let head = Head { extra, ..Head::new("Vertel je verhaal over de jeugdhulp", &["/assets/vertel.css"]) };
    let body = html! {
        header {
            @match &campaign.name {
                Some(name) => {
                    h1 { (name) }
                    @if let Some(theme) = &campaign.theme { p.theme { "Thema: " (theme) } }
                }
                None => h1 { "Vertel je verhaal" },
            }
            p { "Heb je te maken met jeugdhulp? Vertel wat je meemaakte. Wat ging goed? Wat kon beter?" }
        }
        main {
            @match what {
                Landing::Notice { title, text } => section.notice role="status" { h2 { (title) } p { (text) } },
                Landing::Widget { endpoint, questionnaire, first_screen } => {
                    story-point endpoint=(endpoint) lang="nl" questionnaire=[questionnaire] {
                        @if let Some(first_screen) = first_screen {
                            template shadowrootmode="open" {
                                link rel="stylesheet" href="/storypoint/storypoint.css";
                                // Trusted markup, not text from anyone: the widget's own first
                                // screen, rendered by the widget itself when the bundle was
                                // built (`xtask/prerender.mjs`) and shipped inside the binary.
                                (PreEscaped(*first_screen))
                            }
                        }
                    }
                }
            }
        }
        footer {
            h2 { "Wat gebeurt er met je verhaal?" }
            ul {
                li { "Je hoeft je naam niet te geven. We vragen niet wie je bent." }
                li { "We lezen alle verhalen samen. We zoeken naar wat vaak terugkomt, niet naar één persoon." }
                li { "Zo leren gemeenten en hulpverleners wat beter moet in de jeugdhulp." }
                li { "Deze pagina gebruikt geen cookies en volgt je niet." }
                li { "Zit je in nood? Bel de Kindertelefoon: 0800-0432 (gratis)." }
            }
        }
    };
    document(head, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landing::landing;
    use crate::store::DEFAULT_CAMPAIGN;

    fn campaign(slug: &str) -> Campaign {
        Campaign { name: Some("Vertelpunt Zwolle <2027>".into()), theme: Some("Passend onderwijs".into()), ..Campaign::unmade(slug) }
    }

    fn render(campaign: &Campaign, prerendered: Option<&str>, today: &str) -> String {
        let served = storypoint_core::default_questionnaire();
        page(campaign, &landing(campaign, &served, prerendered, today)).into_string()
    }

    #[test]
    fn a_campaign_page_posts_to_its_campaign_with_its_prompts_or_shows_a_notice() {
        let default = render(&Campaign::unmade(DEFAULT_CAMPAIGN), Some("<p>first</p>"), "2027-03-01");
        assert!(default.contains("<story-point endpoint=\"/api/v1/stories\" lang=\"nl\"><template shadowrootmode=\"open\"><link rel=\"stylesheet\" href=\"/storypoint/storypoint.css\"><p>first</p></template></story-point>"), "{default}");
        assert!(default.contains("<h1>Vertel je verhaal</h1>") && default.contains("Kindertelefoon"));
        assert!(default.contains("<link rel=\"preload\" href=\"/storypoint/storypoint.css\" as=\"style\">"));
        assert!(default.contains("<link rel=\"preload\" href=\"/storypoint/storypoint_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>"));
        assert!(default.contains("<link rel=\"preload\" href=\"/storypoint/lang/nl.json\" as=\"fetch\" type=\"application/json\" crossorigin>"));
        assert!(default.contains("<script type=\"module\" src=\"/storypoint/storypoint.js\"></script>"));

        let mut zwolle = campaign("zwolle-2027");
        zwolle.prompts = Some(vec!["geholpen".into(), "veilig".into()]);
        let open = render(&zwolle, Some("<p>first</p>"), "2027-03-01");
        assert!(
            open.contains(
                "<story-point endpoint=\"/api/v1/c/zwolle-2027/stories\" lang=\"nl\" questionnaire=\"/api/v1/c/zwolle-2027/questionnaire\"></story-point>"
            ),
            "{open}"
        );
        assert!(!open.contains("<p>first</p>") && !open.contains("storypoint.css"), "the prerendered screen offers every prompt");
        assert!(open.contains("<h1>Vertelpunt Zwolle &lt;2027&gt;</h1><p class=\"theme\">Thema: Passend onderwijs</p>"), "{open}");

        zwolle.opens_on = Some("2027-04-01".into());
        let early = render(&zwolle, None, "2027-03-01");
        assert!(
            early.contains("<section class=\"notice\" role=\"status\"><h2>Dit vertelpunt is nog niet open</h2>") && early.contains("01-04-2027"),
            "{early}"
        );
        assert!(!early.contains("<story-point") && !early.contains("storypoint.js"), "no form, no widget");

        zwolle.opens_on = None;
        zwolle.closes_at = Some("2027-02-28".into());
        let closed = render(&zwolle, None, "2027-03-01");
        assert!(closed.contains("gesloten") && closed.contains("28-02-2027"), "{closed}");
        assert!(!closed.contains("<story-point") && !closed.contains("/storypoint/"));
        assert!(closed.contains("/assets/vertel.css") && closed.contains("Vertelpunt Zwolle"));
    }
}
