//! The page "Patronen die opvallen" (`/admin/inzicht/patronen`): the findings that stand
//! out, the largest difference first, each in a plain Dutch sentence with its figures and a
//! link to its view; then the comparisons that do not stand out, and those that could not
//! be tested and why. It shows only what `storypoint-insight` disclosed; the handler is in
//! [`crate::standouts`].
use maud::{Markup, html};
use storypoint_insight::{Finding, Kind, Size, Standouts};

use super::insight::layout;

/// The page. `campaigns`: what the campaign chooser offers (empty: no chooser, as for a
/// campaign's token); `chosen`: the campaign shown (none: all together).
pub fn page(overview: &Standouts, campaigns: &[String], chosen: Option<&str>) -> Markup {
    let (standing_out, rest): (Vec<&Finding>, Vec<&Finding>) = overview.findings.iter().partition(|f| f.standout);
    let (tested, untested): (Vec<&Finding>, Vec<&Finding>) = rest.into_iter().partition(|f| f.test.is_some());
    let scope = chosen.map_or_else(|| "alle campagnes samen".to_string(), |slug| format!("campagne {slug}"));
    let main = html! {
        // The findings' sentences are Dutch, whatever language the frame speaks.
        div lang="nl" {
            h1 { "Patronen die opvallen" }
            p.no-print { a href=(back(chosen)) { "Terug naar Patronen in de verhalen" } }
            p { (overview.note.nl) }
            p {
                "Verhalen: " (scope) ", ongeveer " (overview.stories) ". Groepen met minder dan " (overview.min_group)
                " verhalen tellen niet mee. Aantallen onder " (overview.min_cell) " staan er als “< " (overview.min_cell)
                "”; de andere zijn afgerond op " (overview.min_cell) "-tallen."
            }
            @if campaigns.len() > 1 {
                form.controls.no-print method="get" action="/admin/inzicht/patronen" {
                    p {
                        label for="f-campaign" { "Campagne" }
                        select #f-campaign name="campaign" {
                            option value="" { "alle samen" }
                            @for campaign in campaigns {
                                option value=(campaign) selected[chosen == Some(campaign.as_str())] { (campaign) }
                            }
                        }
                    }
                    p { button type="submit" { "Toon" } }
                }
            }
            section aria-labelledby="opvallend" {
                h2 #opvallend { "Vallen op (" (standing_out.len()) ")" }
                @if standing_out.is_empty() {
                    p { "Geen enkele vergelijking valt op. Dat kan betekenen dat er geen duidelijke verschillen zijn, of dat er nog te weinig verhalen zijn." }
                } @else {
                    ol.findings {
                        @for (i, f) in standing_out.iter().enumerate() {
                            li { (finding(f, &format!("opvallend-{i}"))) }
                        }
                    }
                }
            }
            section aria-labelledby="niet-opvallend" {
                h2 #niet-opvallend { "Vallen niet op (" (tested.len()) ")" }
                p { "Deze verschillen kunnen goed toeval zijn. Ook dat is een uitkomst: de groepen verschillen hier weinig." }
                @if !tested.is_empty() {
                    details {
                        summary { "Toon de " (tested.len()) " vergelijkingen die niet opvallen" }
                        ol.findings {
                            @for (i, f) in tested.iter().enumerate() {
                                li { (finding(f, &format!("niet-opvallend-{i}"))) }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="niet-getoetst" {
                h2 #niet-getoetst { "Niet getoetst (" (untested.len()) ")" }
                @if !untested.is_empty() {
                    details {
                        summary { "Toon welke vragen we niet konden vergelijken, en waarom" }
                        ul {
                            @for f in &untested {
                                li { strong { (pair_title(f)) } ": " (f.note.nl) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout("Patronen die opvallen", main)
}

/// Back to the insight pages, the campaign kept.
fn back(chosen: Option<&str>) -> String {
    match chosen {
        Some(slug) => format!("/admin/inzicht?{}", storypoint_insight::encode(&[("campaign".to_string(), slug.to_string())])),
        None => "/admin/inzicht".to_string(),
    }
}

/// "Question A × question B".
fn pair_title(f: &Finding) -> String {
    format!("{} × {}", f.a.label.nl.trim_end_matches('…'), f.b.label.nl.trim_end_matches('…'))
}

/// A number the Dutch way: `decimals` decimals, a decimal comma.
fn dutch(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

/// `p` with three decimals, "p < 0,001" below that, never "0,050" beside "stands out".
fn p_value(p: f64) -> String {
    match p {
        p if p < 0.001 => "< 0,001".to_string(),
        p if p < 0.05 && format!("{p:.3}") == "0.050" => "< 0,05".to_string(),
        p => format!("= {}", dutch(p, 3)),
    }
}

fn size_words(size: Size) -> String {
    size.words().nl
}

/// "1 vrijheidsgraad", "3 vrijheidsgraden".
fn degrees(df: Option<u32>) -> String {
    match df.unwrap_or(0) {
        1 => "1 vrijheidsgraad".to_string(),
        df => format!("{df} vrijheidsgraden"),
    }
}

/// The answers left out, one line per reason: "minder dan 20 verhalen: Bang (< 5), Trots (< 5)".
fn left_out(f: &Finding) -> Vec<String> {
    let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
    for left in &f.left_out {
        let answer = format!("{} ({})", left.label.nl, left.n);
        match reasons.iter_mut().find(|(reason, _)| *reason == left.reason.nl) {
            Some((_, answers)) => answers.push(answer),
            None => reasons.push((&left.reason.nl, vec![answer])),
        }
    }
    reasons.into_iter().map(|(reason, answers)| format!("{}: {}", capitalised(reason), answers.join(", "))).collect()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The question of a group in a finding, by its id.
fn question<'a>(f: &'a Finding, id: &str) -> &'a str {
    if f.a.id == id { f.a.label.nl.trim_end_matches('…') } else { f.b.label.nl.trim_end_matches('…') }
}

/// The figures of a finding in one line.
fn figures(f: &Finding) -> String {
    let test = match f.test {
        Some("kruskal_wallis") => format!("Kruskal-Wallis-toets: H = {}, {}", dutch(f.h.unwrap_or(0.0), 2), degrees(f.df)),
        Some("spearman") => format!("Spearmans rangcorrelatie: rho = {}", dutch(f.rho.unwrap_or(0.0), 2)),
        Some("chi_square") => format!("χ²-toets: χ² = {}, {}", dutch(f.chi2.unwrap_or(0.0), 1), degrees(f.df)),
        _ => return String::new(),
    };
    let p = f.p.map_or(String::new(), |p| format!("; p {}", p_value(p)));
    let p_holm = f.p_holm.map_or(String::new(), |p| format!("; gecorrigeerd p {}", p_value(p)));
    let effect = f.effect.as_ref().map_or(String::new(), |e| {
        let measure = match e.measure {
            "epsilon_squared" => "ε²",
            "rho" => "rho",
            _ => "Cramérs V",
        };
        format!("; grootte: {measure} = {} ({})", dutch(e.value, 2), size_words(e.size))
    });
    format!("{test}{p}{p_holm}{effect}; ongeveer {} verhalen.", f.n)
}

/// The label of an answer of a finding by its value.
fn answer<'a>(f: &'a Finding, value: &'a str) -> &'a str {
    f.groups.iter().find(|g| g.value == value).map_or(value, |g| g.label.nl.as_str())
}

/// One finding: the sentence, the figures, the link to its view and the details.
fn finding(f: &Finding, id: &str) -> Markup {
    let view = match f.kind {
        Kind::SliderChoice => "Bekijk de grafiek",
        Kind::ChoiceChoice => "Bekijk de tabel",
        Kind::SliderSlider => "",
    };
    html! {
        article.finding aria-labelledby=(id) {
            h3 #(id) { (pair_title(f)) }
            p { (f.note.nl) }
            p.test { (figures(f)) }
            @match &f.query {
                Some(query) => p.no-print { a href={ "/admin/inzicht?" (query) } { (view) ": " (pair_title(f)) } },
                None => p { "Er is nog geen weergave van twee schuifvragen samen." },
            }
            @if !f.groups.is_empty() || !f.left_out.is_empty() || !f.pairs.is_empty() {
                details {
                    summary { "Groepen" @if !f.pairs.is_empty() { " en paren van antwoorden" } }
                    @if !f.groups.is_empty() {
                        @let two_questions = f.kind == Kind::ChoiceChoice;
                        table {
                            caption { "Meegeteld" }
                            thead {
                                tr {
                                    th scope="col" { "Antwoord" }
                                    @if two_questions { th scope="col" { "Vraag" } }
                                    th scope="col" { "Verhalen (ongeveer)" }
                                }
                            }
                            tbody {
                                @for group in &f.groups {
                                    tr {
                                        th scope="row" { (group.label.nl) }
                                        @if two_questions { td { (question(f, &group.question)) } }
                                        td { (group.n) }
                                    }
                                }
                            }
                        }
                    }
                    @if !f.pairs.is_empty() {
                        table {
                            caption { "Per paar antwoorden (Mann-Whitney U; p gecorrigeerd voor de paren van deze vraag)" }
                            thead {
                                tr {
                                    th scope="col" { "Antwoord A" }
                                    th scope="col" { "Antwoord B" }
                                    th scope="col" { "U" }
                                    th scope="col" { "p" }
                                    th scope="col" { "Gecorrigeerd p" }
                                    th scope="col" { "Verschil r" }
                                }
                            }
                            tbody {
                                @for pair in &f.pairs {
                                    tr {
                                        th scope="row" { (answer(f, &pair.a)) }
                                        td { (answer(f, &pair.b)) }
                                        td { (dutch(pair.u, 1)) }
                                        td { "p " (p_value(pair.p)) }
                                        td { "p " (p_value(pair.p_holm)) }
                                        td { (dutch(pair.rank_biserial, 2)) }
                                    }
                                }
                            }
                        }
                        @let notable: Vec<_> = f.pairs.iter().filter(|pair| pair.standout).collect();
                        @if !notable.is_empty() {
                            ul { @for pair in notable { li { (pair.note.nl) } } }
                        }
                    }
                    @if !f.left_out.is_empty() {
                        p { "Niet meegeteld (aantal verhalen tussen haakjes):" }
                        ul { @for line in left_out(f) { li { (line) } } }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_dutch() {
        assert_eq!(p_value(0.0004), "< 0,001");
        assert_eq!(p_value(0.04996), "< 0,05");
        assert_eq!(p_value(0.0241), "= 0,024");
        assert_eq!(dutch(7.904, 2), "7,90");
        assert_eq!(back(Some("regio oost")), "/admin/inzicht?campaign=regio+oost");
        assert_eq!((degrees(Some(1)), degrees(Some(4))), ("1 vrijheidsgraad".to_string(), "4 vrijheidsgraden".to_string()));
        assert_eq!(capitalised("minder dan 20 verhalen"), "Minder dan 20 verhalen");
    }
}
