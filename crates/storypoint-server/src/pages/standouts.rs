//! The page "Patronen die opvallen" (`/admin/inzicht/patronen`): the findings that stand
//! out, the largest difference first, each in a plain sentence with its figures and a
//! link to its view; then the comparisons that do not stand out, and those that could not
//! be tested and why. It shows only what `storypoint-insight` disclosed; the handler is in
//! [`crate::standouts`].
use maud::{Markup, html};
use storypoint_insight::{Finding, Kind, Size, Standouts};

use super::insight::layout;
use crate::words::{decimal, language, pick, t, t_with};

/// The page. `campaigns`: what the campaign chooser offers (empty: no chooser, as for a
/// campaign's token); `chosen`: the campaign shown (none: all together).
pub fn page(overview: &Standouts, campaigns: &[String], chosen: Option<&str>) -> Markup {
    let (standing_out, rest): (Vec<&Finding>, Vec<&Finding>) = overview.findings.iter().partition(|f| f.standout);
    let (tested, untested): (Vec<&Finding>, Vec<&Finding>) = rest.into_iter().partition(|f| f.test.is_some());
    let scope = chosen.map_or_else(|| t("standouts.scope.all").to_string(), |slug| t_with("standouts.scope.campaign", &[("campaign", &slug)]));
    let main = html! {
        // The findings' sentences come from the insight crate in Dutch and English: the
        // request's language.
        div lang=(language().code()) {
            h1 { (t("standouts.title")) }
            p.no-print { a href=(back(chosen)) { (t("standouts.back")) } }
            p { (pick(&overview.note)) }
            p {
                (t_with("standouts.intro", &[("scope", &scope), ("stories", &overview.stories), ("min", &overview.min_group), ("k", &overview.min_cell)]))
            }
            @if campaigns.len() > 1 {
                form.controls.no-print method="get" action="/admin/inzicht/patronen" {
                    p {
                        label for="f-campaign" { (t("insight.form.campaign")) }
                        select #f-campaign name="campaign" {
                            option value="" { (t("insight.form.all_together")) }
                            @for campaign in campaigns {
                                option value=(campaign) selected[chosen == Some(campaign.as_str())] { (campaign) }
                            }
                        }
                    }
                    p { button type="submit" { (t("insight.form.show")) } }
                }
            }
            section aria-labelledby="opvallend" {
                h2 #opvallend { (t_with("standouts.standing_out", &[("count", &standing_out.len())])) }
                @if standing_out.is_empty() {
                    p { (t("standouts.none")) }
                } @else {
                    ol.findings {
                        @for (i, f) in standing_out.iter().enumerate() {
                            li { (finding(f, &format!("opvallend-{i}"))) }
                        }
                    }
                }
            }
            section aria-labelledby="niet-opvallend" {
                h2 #niet-opvallend { (t_with("standouts.not_standing_out", &[("count", &tested.len())])) }
                p { (t("standouts.chance")) }
                @if !tested.is_empty() {
                    details {
                        summary { (t_with("standouts.show_tested", &[("count", &tested.len())])) }
                        ol.findings {
                            @for (i, f) in tested.iter().enumerate() {
                                li { (finding(f, &format!("niet-opvallend-{i}"))) }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="niet-getoetst" {
                h2 #niet-getoetst { (t_with("standouts.untested", &[("count", &untested.len())])) }
                @if !untested.is_empty() {
                    details {
                        summary { (t("standouts.show_untested")) }
                        ul {
                            @for f in &untested {
                                li { strong { (pair_title(f)) } ": " (pick(&f.note)) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(t("standouts.title"), main)
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
    format!("{} × {}", pick(&f.a.label).trim_end_matches('…'), pick(&f.b.label).trim_end_matches('…'))
}

/// A number in the request's language: `decimals` decimals, a decimal comma in Dutch.
fn dutch(x: f64, decimals: usize) -> String {
    decimal(x, decimals)
}

/// `p` with three decimals, "p < 0,001" below that, never "0,050" beside "stands out".
fn p_value(p: f64) -> String {
    match p {
        p if p < 0.001 => format!("< {}", dutch(0.001, 3)),
        p if p < 0.05 && format!("{p:.3}") == "0.050" => format!("< {}", dutch(0.05, 2)),
        p => format!("= {}", dutch(p, 3)),
    }
}

fn size_words(size: Size) -> String {
    pick(&size.words()).to_string()
}

/// "1 vrijheidsgraad", "3 vrijheidsgraden".
fn degrees(df: Option<u32>) -> String {
    match df.unwrap_or(0) {
        1 => t("standouts.degree").to_string(),
        df => t_with("standouts.degrees", &[("df", &df)]),
    }
}

/// The answers left out, one line per reason: "minder dan 20 verhalen: Bang (< 5), Trots (< 5)".
fn left_out(f: &Finding) -> Vec<String> {
    let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
    for left in &f.left_out {
        let answer = format!("{} ({})", pick(&left.label), left.n);
        let reason = pick(&left.reason);
        match reasons.iter_mut().find(|(known, _)| *known == reason) {
            Some((_, answers)) => answers.push(answer),
            None => reasons.push((reason, vec![answer])),
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
    if f.a.id == id { pick(&f.a.label).trim_end_matches('…') } else { pick(&f.b.label).trim_end_matches('…') }
}

/// The figures of a finding in one line.
fn figures(f: &Finding) -> String {
    let test = match f.test {
        Some("kruskal_wallis") => t_with("standouts.kruskal", &[("h", &dutch(f.h.unwrap_or(0.0), 2)), ("df", &degrees(f.df))]),
        Some("spearman") => t_with("standouts.spearman", &[("rho", &dutch(f.rho.unwrap_or(0.0), 2))]),
        Some("chi_square") => t_with("standouts.chi", &[("chi2", &dutch(f.chi2.unwrap_or(0.0), 1)), ("df", &degrees(f.df))]),
        _ => return String::new(),
    };
    let p = f.p.map_or(String::new(), |p| format!("; p {}", p_value(p)));
    let p_holm = f.p_holm.map_or(String::new(), |p| t_with("standouts.p_holm", &[("p", &p_value(p))]));
    let effect = f.effect.as_ref().map_or(String::new(), |e| {
        let measure = match e.measure {
            "epsilon_squared" => "ε²",
            "rho" => "rho",
            _ => t("standouts.cramer"),
        };
        t_with("standouts.effect", &[("measure", &measure), ("value", &dutch(e.value, 2)), ("size", &size_words(e.size))])
    });
    t_with("standouts.figures", &[("test", &test), ("p", &p), ("p_holm", &p_holm), ("effect", &effect), ("n", &f.n)])
}

/// The label of an answer of a finding by its value.
fn answer<'a>(f: &'a Finding, value: &'a str) -> &'a str {
    f.groups.iter().find(|g| g.value == value).map_or(value, |g| pick(&g.label))
}

/// One finding: the sentence, the figures, the link to its view and the details.
fn finding(f: &Finding, id: &str) -> Markup {
    let view = match f.kind {
        Kind::SliderChoice => t("standouts.view_chart"),
        Kind::ChoiceChoice => t("standouts.view_table"),
        Kind::SliderSlider => "",
    };
    html! {
        article.finding aria-labelledby=(id) {
            h3 #(id) { (pair_title(f)) }
            p { (pick(&f.note)) }
            p.test { (figures(f)) }
            @match &f.query {
                Some(query) => p.no-print { a href={ "/admin/inzicht?" (query) } { (view) ": " (pair_title(f)) } },
                None => p { (t("standouts.no_view")) },
            }
            @if !f.groups.is_empty() || !f.left_out.is_empty() || !f.pairs.is_empty() {
                details {
                    summary { (t("standouts.groups")) @if !f.pairs.is_empty() { (t("standouts.and_pairs")) } }
                    @if !f.groups.is_empty() {
                        @let two_questions = f.kind == Kind::ChoiceChoice;
                        table {
                            caption { (t("standouts.counted")) }
                            thead {
                                tr {
                                    th scope="col" { (t("standouts.answer")) }
                                    @if two_questions { th scope="col" { (t("standouts.question")) } }
                                    th scope="col" { (t("standouts.stories")) }
                                }
                            }
                            tbody {
                                @for group in &f.groups {
                                    tr {
                                        th scope="row" { (pick(&group.label)) }
                                        @if two_questions { td { (question(f, &group.question)) } }
                                        td { (group.n) }
                                    }
                                }
                            }
                        }
                    }
                    @if !f.pairs.is_empty() {
                        table {
                            caption { (t("standouts.pairs")) }
                            thead {
                                tr {
                                    th scope="col" { (t("standouts.answer_a")) }
                                    th scope="col" { (t("standouts.answer_b")) }
                                    th scope="col" { "U" }
                                    th scope="col" { "p" }
                                    th scope="col" { (t("standouts.corrected_p")) }
                                    th scope="col" { (t("standouts.difference")) }
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
                            ul { @for pair in notable { li { (pick(&pair.note)) } } }
                        }
                    }
                    @if !f.left_out.is_empty() {
                        p { (t("standouts.left_out")) }
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
