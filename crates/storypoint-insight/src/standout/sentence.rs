//! The words of "Patronen die opvallen": each finding's sentence in plain Dutch and English,
//! and its figures rounded as they are published.
use super::*;

/// A number to 4 significant digits: what is published (see the module docs).
pub(super) fn significant(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() { x } else { format!("{x:.3e}").parse().unwrap_or(x) }
}

pub(super) fn round_figures(finding: &mut Finding) {
    for figure in [&mut finding.h, &mut finding.rho, &mut finding.chi2, &mut finding.cramers_v, &mut finding.p, &mut finding.p_holm] {
        *figure = figure.map(significant);
    }
    if let Some(effect) = &mut finding.effect {
        effect.value = significant(effect.value);
        effect.strength = significant(effect.strength);
    }
    for pair in &mut finding.pairs {
        pair.u = significant(pair.u);
        pair.p = significant(pair.p);
        pair.p_holm = significant(pair.p_holm);
        pair.rank_biserial = significant(pair.rank_biserial);
    }
}

/// "p = 0,003" (Dutch) and "p = 0.003" (English): three decimals, "p < 0,001" below that,
/// never "p = 0,050" for a p just under 0.05; with `corrected`, the number of tests Holm
/// corrected for.
pub(super) fn p_text(p: f64, corrected: Option<usize>) -> (String, String) {
    let bare = match p {
        p if p < 0.001 => "p < 0.001".to_string(),
        p if p < ALPHA && format!("{p:.3}") == "0.050" => "p < 0.05".to_string(),
        p => format!("p = {p:.3}"),
    };
    let dutch = bare.replace('.', ",");
    match corrected {
        Some(tests) if tests > 1 => (format!("{dutch}, gecorrigeerd voor {tests} vergelijkingen"), format!("{bare}, corrected for {tests} comparisons")),
        _ => (dutch, bare),
    }
}

/// A question's label in a sentence: without its trailing ellipsis ("Ik vertel dit als…").
pub(super) fn quoted(text: &Text) -> (String, String) {
    (text.nl.trim_end_matches('…').to_string(), text.get(Lang::EN).trim_end_matches('…').to_string())
}

/// Two answers of a choice question compared on a slider.
#[allow(clippy::too_many_arguments)]
pub(super) fn two_groups(
    slider: &Text,
    low_end: &Text,
    question: &Text,
    lower: &Text,
    higher: &Text,
    size: Size,
    standout: bool,
    p: &(String, String),
) -> Text {
    let ((s_nl, s_en), (q_nl, q_en), (low_nl, low_en)) = (quoted(slider), quoted(question), quoted(low_end));
    let (lower_nl, lower_en, higher_nl, higher_en) = (&lower.nl, lower.get(Lang::EN), &higher.nl, higher.get(Lang::EN));
    let (size_nl, size_en) = (size.words().nl, size.words().get(Lang::EN).to_string());
    if standout {
        Text::new(
            &format!(
                "Wie bij ‘{q_nl}’ ‘{lower_nl}’ koos, antwoordde op ‘{s_nl}’ meestal lager (meer naar ‘{low_nl}’) dan wie ‘{higher_nl}’ koos. \
                 Dit verschil is {size_nl} en komt waarschijnlijk niet door toeval ({}).",
                p.0
            ),
            &format!(
                "Those who chose ‘{lower_en}’ for ‘{q_en}’ mostly answered ‘{s_en}’ lower (towards ‘{low_en}’) than those who chose ‘{higher_en}’. \
                 The difference is {size_en} and unlikely to be chance ({}).",
                p.1
            ),
        )
    } else {
        Text::new(
            &format!(
                "Wie bij ‘{q_nl}’ ‘{lower_nl}’ koos, antwoordde op ‘{s_nl}’ iets lager dan wie ‘{higher_nl}’ koos. Dit verschil kan goed toeval zijn ({}).",
                p.0
            ),
            &format!(
                "Those who chose ‘{lower_en}’ for ‘{q_en}’ answered ‘{s_en}’ a little lower than those who chose ‘{higher_en}’. This may well be chance ({}).",
                p.1
            ),
        )
    }
}

/// A finding's note, once p is corrected for `tests` tests.
pub(super) fn note(finding: &Finding, tests: usize) -> Text {
    let p = p_text(finding.p_holm.or(finding.p).unwrap_or(1.0), Some(tests));
    let ((a_nl, a_en), (b_nl, b_en)) = (quoted(&finding.a.label), quoted(&finding.b.label));
    let size = finding.effect.as_ref().map_or(Size::VerySmall, |e| e.size);
    let (size_nl, size_en) = (size.words().nl, size.words().get(Lang::EN).to_string());
    let standout = finding.standout;
    match &finding.words {
        Words::Untested => finding.note.clone(),
        Words::TwoGroups { lower, higher, low_end } => two_groups(&finding.a.label, low_end, &finding.b.label, lower, higher, size, standout, &p),
        Words::Groups { lowest, highest } if standout => Text::new(
            &format!(
                "Het antwoord op ‘{a_nl}’ verschilt per antwoord op ‘{b_nl}’: het laagst bij ‘{}’, het hoogst bij ‘{}’. \
                 Dit verschil is {size_nl} en komt waarschijnlijk niet door toeval ({}).",
                lowest.nl, highest.nl, p.0
            ),
            &format!(
                "The answer to ‘{a_en}’ differs by the answer to ‘{b_en}’: lowest for ‘{}’, highest for ‘{}’. \
                 The difference is {size_en} and unlikely to be chance ({}).",
                lowest.get(Lang::EN),
                highest.get(Lang::EN),
                p.1
            ),
        ),
        Words::Groups { .. } => Text::new(
            &format!("Het antwoord op ‘{a_nl}’ verschilt weinig per antwoord op ‘{b_nl}’. De verschillen kunnen goed toeval zijn ({}).", p.0),
            &format!("The answer to ‘{a_en}’ differs little by the answer to ‘{b_en}’. The differences may well be chance ({}).", p.1),
        ),
        Words::Correlation { rho } => {
            let (rho_nl, rho_en) = (format!("{rho:.2}").replace('.', ","), format!("{rho:.2}"));
            if standout {
                let (way_nl, way_en) = if *rho > 0.0 { ("hoe hoger meestal ook", "the higher, mostly,") } else { ("hoe lager meestal", "the lower, mostly,") };
                Text::new(
                    &format!(
                        "Hoe hoger het antwoord op ‘{a_nl}’, {way_nl} het antwoord op ‘{b_nl}’. \
                         Dit verband is {size_nl} (rho = {rho_nl}) en komt waarschijnlijk niet door toeval ({}).",
                        p.0
                    ),
                    &format!(
                        "The higher the answer to ‘{a_en}’, {way_en} the answer to ‘{b_en}’. \
                         The relation is {size_en} (rho = {rho_en}) and unlikely to be chance ({}).",
                        p.1
                    ),
                )
            } else {
                Text::new(
                    &format!("Tussen ‘{a_nl}’ en ‘{b_nl}’ zien we geen duidelijk verband (rho = {rho_nl}). Wat er is, kan goed toeval zijn ({}).", p.0),
                    &format!("We see no clear relation between ‘{a_en}’ and ‘{b_en}’ (rho = {rho_en}). What there is may well be chance ({}).", p.1),
                )
            }
        }
        Words::Table { reliable: false, .. } => Text::new(
            &format!("In de tabel van ‘{a_nl}’ en ‘{b_nl}’ staan te weinig verhalen per vakje om te zeggen of het verschil toeval is."),
            &format!("The table of ‘{a_en}’ and ‘{b_en}’ has too few stories per cell to say whether the difference is chance."),
        ),
        Words::Table { most, .. } if standout => {
            let v = finding.cramers_v.unwrap_or(0.0);
            let (v_nl, v_en) = (format!("{v:.2}").replace('.', ","), format!("{v:.2}"));
            let (most_nl, most_en) = match most {
                Some((row, column)) => (
                    format!(" Vooral ‘{}’ samen met ‘{}’ komt vaker voor dan je bij toeval zou verwachten.", row.nl, column.nl),
                    format!(" Especially ‘{}’ together with ‘{}’ is more common than chance would give.", row.get(Lang::EN), column.get(Lang::EN)),
                ),
                None => (String::new(), String::new()),
            };
            Text::new(
                &format!(
                    "Het antwoord op ‘{a_nl}’ hangt samen met het antwoord op ‘{b_nl}’.{most_nl} \
                     Dit verschil is {size_nl} (Cramérs V = {v_nl}) en komt waarschijnlijk niet door toeval ({}).",
                    p.0
                ),
                &format!(
                    "The answer to ‘{a_en}’ goes together with the answer to ‘{b_en}’.{most_en} \
                     The difference is {size_en} (Cramér's V = {v_en}) and unlikely to be chance ({}).",
                    p.1
                ),
            )
        }
        Words::Table { .. } => Text::new(
            &format!("Het antwoord op ‘{a_nl}’ hangt weinig samen met het antwoord op ‘{b_nl}’. Het verschil kan goed toeval zijn ({}).", p.0),
            &format!("The answer to ‘{a_en}’ goes little together with the answer to ‘{b_en}’. The difference may well be chance ({}).", p.1),
        ),
    }
}
