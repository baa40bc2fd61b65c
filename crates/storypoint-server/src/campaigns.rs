//! A campaign's rules, one code path for the command line (`storypoint campaign …`) and the
//! coordinators' console (`/admin/campagnes`): what a new campaign must be (its short name,
//! prompts from the questionnaire, days in order, the page its links point to), creating it
//! with its own admin token, opening, closing, changing its days and replacing its token.
//! Every problem is a [`Problem`] at its [`Field`]; each front end says it in its own words
//! ([`Problem::english`] for the command line, [`Problem::message`] for the console, in the
//! coordinator's language from `translations/console/`).
use storypoint_core::Questionnaire;

use crate::auth::AdminToken;
use crate::store::{Campaign, Store, StoreError};
use crate::words::{t, t_with};

/// A new campaign as a coordinator describes it, before any rule is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The short name in URLs (`twente-2027`).
    pub slug: String,
    /// The name people see.
    pub name: String,
    /// The theme the region focuses on.
    pub theme: Option<String>,
    /// The prompts offered, by value (`None`: all of them).
    pub prompts: Option<Vec<String>>,
    /// The first day stories are accepted (`YYYY-MM-DD`).
    pub opens_on: Option<String>,
    /// The last day stories are accepted (`YYYY-MM-DD`).
    pub closes_at: Option<String>,
    /// The page its links point to.
    pub base_url: Option<String>,
}

/// The part of a campaign a problem is about (a form field, a command-line option).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The name people see.
    Name,
    /// The short name in URLs.
    Slug,
    /// The prompts offered.
    Prompts,
    /// The first day.
    Opens,
    /// The last day.
    Closes,
    /// The page the links point to.
    BaseUrl,
}

/// Why a campaign cannot be made or changed as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No name given.
    NoName,
    /// The short name has other characters than lowercase letters, digits and dashes.
    SlugFormat(String),
    /// A campaign with this short name exists.
    SlugTaken(String),
    /// A prompt the questionnaire does not have; `choices` are the ones it has.
    UnknownPrompt {
        /// The value given.
        unknown: String,
        /// The questionnaire's prompt values.
        choices: Vec<String>,
    },
    /// An empty choice of prompts: tellers would have nothing to answer.
    NoPrompt,
    /// A day that is no date like 2026-12-31.
    NotADay {
        /// Which day.
        field: Field,
        /// What was given.
        text: String,
    },
    /// The last day comes before the first.
    ClosesBeforeOpens {
        /// The campaign's short name.
        slug: String,
        /// The first day.
        opens: String,
        /// The last day.
        closes: String,
    },
    /// No page for the links (the console asks for it: links and flyers need it).
    NoBaseUrl,
    /// The page for the links is no web address.
    BaseUrlNotWeb(String),
    /// The page for the links is this machine's own address: no teller can open it.
    BaseUrlLoopback(String),
}

impl Problem {
    /// The field the problem is at.
    pub fn field(&self) -> Field {
        match self {
            Problem::NoName => Field::Name,
            Problem::SlugFormat(_) | Problem::SlugTaken(_) => Field::Slug,
            Problem::UnknownPrompt { .. } | Problem::NoPrompt => Field::Prompts,
            Problem::NotADay { field, .. } => *field,
            Problem::ClosesBeforeOpens { .. } => Field::Closes,
            Problem::NoBaseUrl | Problem::BaseUrlNotWeb(_) | Problem::BaseUrlLoopback(_) => Field::BaseUrl,
        }
    }

    /// The problem for an operator on the command line (English, naming the options).
    pub fn english(&self) -> String {
        match self {
            Problem::NoName => "--name cannot be empty: give the name people see, like \"Vertelpunt Twente 2027\"".into(),
            Problem::SlugFormat(slug) => {
                format!("`{slug}` cannot be a campaign's short name: use lowercase letters, digits and dashes, like twente-2027")
            }
            Problem::SlugTaken(slug) => format!("campaign `{slug}` exists already (see `storypoint campaign list`)"),
            Problem::UnknownPrompt { unknown, choices } => {
                format!("`{unknown}` is not a prompt of the questionnaire; choose from: {}", choices.join(", "))
            }
            Problem::NoPrompt => "--prompts names no prompt; leave it out to offer all of them".into(),
            Problem::NotADay { field, text } => {
                let option = if *field == Field::Opens { "--opens" } else { "--closes" };
                format!("{option} takes a date like 2026-12-31, not `{text}`")
            }
            Problem::ClosesBeforeOpens { slug, opens, closes } => {
                format!("campaign `{slug}` would close ({closes}) before it opens ({opens}); give a closing day on or after the opening day")
            }
            Problem::NoBaseUrl => "give --base-url, the web address of the page tellers open, like https://vertelpunt.example.nl/vertel".into(),
            Problem::BaseUrlNotWeb(url) => {
                format!("--base-url takes the web address of the page tellers open, like https://vertelpunt.example.nl/vertel, not `{url}`")
            }
            Problem::BaseUrlLoopback(url) => format!(
                "--base-url `{url}` is this machine's own address: tellers cannot open it; give the address they open, like https://vertelpunt.example.nl/vertel"
            ),
        }
    }

    /// The problem for a coordinator in the console (B1, saying what to do), in the
    /// request's language (Dutch outside a request).
    pub fn message(&self) -> String {
        match self {
            Problem::NoName => t("problem.no_name").into(),
            Problem::SlugFormat(_) => t("problem.slug_format").into(),
            Problem::SlugTaken(slug) => t_with("problem.slug_taken", &[("slug", slug)]),
            Problem::UnknownPrompt { unknown, .. } => t_with("problem.unknown_prompt", &[("prompt", unknown)]),
            Problem::NoPrompt => t("problem.no_prompt").into(),
            Problem::NotADay { field: Field::Opens, .. } => t("problem.first_day_not_a_day").into(),
            Problem::NotADay { .. } => t("problem.last_day_not_a_day").into(),
            Problem::ClosesBeforeOpens { opens, closes, .. } => {
                t_with("problem.closes_before_opens", &[("closes", &dutch_day(closes)), ("opens", &dutch_day(opens))])
            }
            Problem::NoBaseUrl => t("problem.no_base_url").into(),
            Problem::BaseUrlNotWeb(_) => t("problem.base_url_not_web").into(),
            Problem::BaseUrlLoopback(_) => t("problem.base_url_loopback").into(),
        }
    }
}

/// Today as `YYYY-MM-DD` (UTC), the day a campaign's window is read on (as `app::today`;
/// here so the console needs nothing of `app`, which merges its routes).
pub fn today() -> String {
    time::OffsetDateTime::now_utc().date().to_string()
}

/// `2027-06-30` as a Dutch reader writes it: `30-06-2027`.
pub fn dutch_day(iso: &str) -> String {
    iso.split('-').rev().collect::<Vec<_>>().join("-")
}

/// What a store or a rule says no to.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// The campaign is not as it must be: every problem at once; nothing was saved.
    #[error("{}", .0.iter().map(Problem::english).collect::<Vec<_>>().join("\n"))]
    Problems(Vec<Problem>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A campaign just made, with its own admin token (shown once, then kept only as a hash).
#[derive(Debug)]
pub struct Made {
    /// The campaign as stored.
    pub campaign: Campaign,
    /// Its admin token, as text.
    pub token: String,
}

/// A day as `YYYY-MM-DD` (`None` or blank: no day).
pub fn day(field: Field, text: Option<&str>) -> Result<Option<String>, Problem> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(day) => match time::Date::parse(day, &format) {
            Ok(_) => Ok(Some(day.to_string())),
            Err(_) => Err(Problem::NotADay { field, text: day.to_string() }),
        },
        None => Ok(None),
    }
}

/// The page the links point to, if it is a web address that tellers can open (not this
/// machine's own: `localhost`, `127.x.x.x`, `[::1]`, `0.0.0.0`).
pub fn base_url(text: &str) -> Result<String, Problem> {
    let url = text.trim();
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return Err(Problem::BaseUrlNotWeb(url.to_string()));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    }
    .trim_end_matches('.')
    .to_ascii_lowercase();
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(Problem::BaseUrlNotWeb(url.to_string()));
    }
    let loopback =
        host == "localhost" || host.ends_with(".localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified());
    if loopback {
        return Err(Problem::BaseUrlLoopback(url.to_string()));
    }
    Ok(url.to_string())
}

/// The first day before the last (or either missing).
pub fn days_in_order(campaign: &Campaign) -> Result<(), Problem> {
    match (&campaign.opens_on, &campaign.closes_at) {
        (Some(opens), Some(closes)) if closes < opens => {
            Err(Problem::ClosesBeforeOpens { slug: campaign.slug.clone(), opens: opens.clone(), closes: closes.clone() })
        }
        _ => Ok(()),
    }
}

/// The campaign `draft` describes, on `questionnaire`, or every problem with it (the short
/// name taken is one). `require_base_url`: the console asks for the page now (its links and
/// flyers need it); the command line may give it later (`links import --base-url`).
pub fn check_new(store: &dyn Store, questionnaire: &Questionnaire, draft: &Draft, require_base_url: bool) -> Result<Campaign, CampaignError> {
    let mut problems = Vec::new();
    let name = draft.name.trim();
    if name.is_empty() {
        problems.push(Problem::NoName);
    }
    let slug = draft.slug.trim();
    // `nieuw` is the console's page for a new campaign (`/admin/campagnes/nieuw`).
    if !Campaign::is_slug(slug) || slug == "nieuw" {
        problems.push(Problem::SlugFormat(slug.to_string()));
    } else if store.find_campaign(slug)?.is_some() {
        problems.push(Problem::SlugTaken(slug.to_string()));
    }
    if let Some(prompts) = &draft.prompts {
        if prompts.is_empty() {
            problems.push(Problem::NoPrompt);
        } else if let Err(unknown) = questionnaire.with_prompts(prompts) {
            let choices = questionnaire.question(storypoint_core::contract::PROMPT).and_then(|q| q.kind.option_values()).unwrap_or_default();
            problems.push(Problem::UnknownPrompt { unknown, choices: choices.into_iter().map(String::from).collect() });
        }
    }
    let mut day_of = |field, text: &Option<String>| {
        day(field, text.as_deref()).unwrap_or_else(|problem| {
            problems.push(problem);
            None
        })
    };
    let opens_on = day_of(Field::Opens, &draft.opens_on);
    let closes_at = day_of(Field::Closes, &draft.closes_at);
    let base_url = match draft.base_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => base_url(url).map_err(|problem| problems.push(problem)).ok(),
        None if require_base_url => {
            problems.push(Problem::NoBaseUrl);
            None
        }
        None => None,
    };
    let campaign = Campaign {
        slug: slug.to_string(),
        name: Some(name.to_string()),
        questionnaire: Some((questionnaire.id.clone(), questionnaire.version)),
        theme: draft.theme.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from),
        prompts: draft.prompts.clone(),
        open: true,
        opens_on,
        closes_at,
        closed_on: None,
        base_url,
        admin_hash: None,
    };
    if let Err(problem) = days_in_order(&campaign) {
        problems.push(problem);
    }
    match problems.is_empty() {
        true => Ok(campaign),
        false => Err(CampaignError::Problems(problems)),
    }
}

/// Makes the campaign `draft` describes, with an admin token of its own (it opens only this
/// campaign); nothing is saved unless every rule holds.
pub fn create(store: &dyn Store, questionnaire: &Questionnaire, draft: &Draft, require_base_url: bool) -> Result<Made, CampaignError> {
    let mut campaign = check_new(store, questionnaire, draft, require_base_url)?;
    let (token, admin) = AdminToken::generate();
    campaign.admin_hash = Some(admin.hash_hex());
    store.set_campaign(&campaign)?;
    Ok(Made { campaign, token })
}

/// Opens `campaign` again, with a new last day when one is given (checked against the first).
pub fn open(store: &dyn Store, campaign: &mut Campaign, closes_at: Option<&str>) -> Result<(), CampaignError> {
    let mut changed = campaign.clone();
    changed.open = true;
    if let Some(day) = day(Field::Closes, closes_at).map_err(|p| CampaignError::Problems(vec![p]))? {
        changed.closes_at = Some(day);
    }
    days_in_order(&changed).map_err(|p| CampaignError::Problems(vec![p]))?;
    store.set_campaign(&changed)?;
    *campaign = changed;
    Ok(())
}

/// Closes `campaign` on `today` (`YYYY-MM-DD`): stories sent within a day after are still
/// taken (tellers who were writing).
pub fn close(store: &dyn Store, campaign: &mut Campaign, today: &str) -> Result<(), CampaignError> {
    campaign.open = false;
    campaign.closed_on = Some(today.to_string());
    store.set_campaign(campaign)?;
    Ok(())
}

/// Gives `campaign` new first and last days (blank: none), both checked; nothing is saved
/// unless both hold.
pub fn change_days(store: &dyn Store, campaign: &mut Campaign, opens_on: Option<&str>, closes_at: Option<&str>) -> Result<(), CampaignError> {
    let mut problems = Vec::new();
    let mut changed = campaign.clone();
    match day(Field::Opens, opens_on) {
        Ok(day) => changed.opens_on = day,
        Err(problem) => problems.push(problem),
    }
    match day(Field::Closes, closes_at) {
        Ok(day) => changed.closes_at = day,
        Err(problem) => problems.push(problem),
    }
    if problems.is_empty() {
        if let Err(problem) = days_in_order(&changed) {
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        return Err(CampaignError::Problems(problems));
    }
    store.set_campaign(&changed)?;
    *campaign = changed;
    Ok(())
}

/// Replaces `campaign`'s admin token with a new one (returned as text, to show once): the
/// old token no longer opens anything, and the sessions opened with it end.
pub fn new_token(store: &dyn Store, campaign: &mut Campaign) -> Result<String, CampaignError> {
    let (token, admin) = AdminToken::generate();
    campaign.admin_hash = Some(admin.hash_hex());
    store.set_campaign(campaign)?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_a_web_address_tellers_can_open() {
        assert_eq!(base_url(" https://vertelpunt.example.nl/vertel "), Ok("https://vertelpunt.example.nl/vertel".into()));
        assert!(base_url("http://10.0.0.5:8080/vertel").is_ok());
        for url in ["vertelpunt.example.nl", "ftp://x.nl", "https://", "https:// x"] {
            assert!(matches!(base_url(url), Err(Problem::BaseUrlNotWeb(_))), "{url}");
        }
        for url in ["http://localhost:8080/vertel", "https://LOCALHOST./vertel", "http://127.0.0.1/vertel", "http://[::1]:80/", "http://0.0.0.0/"] {
            assert!(matches!(base_url(url), Err(Problem::BaseUrlLoopback(_))), "{url}");
        }
    }

    #[test]
    fn days_are_iso_dates_and_every_problem_has_its_field_and_words() {
        assert_eq!(day(Field::Opens, Some("2027-03-01")), Ok(Some("2027-03-01".into())));
        assert_eq!(day(Field::Opens, Some("  ")), Ok(None));
        let wrong = day(Field::Closes, Some("1-3-2027")).unwrap_err();
        assert_eq!(wrong.field(), Field::Closes);
        assert!(wrong.english().starts_with("--closes takes a date like 2026-12-31"));
        let order = Problem::ClosesBeforeOpens { slug: "x".into(), opens: "2027-06-30".into(), closes: "2027-01-01".into() };
        assert_eq!(order.message(), "De laatste dag (01-01-2027) ligt vóór de eerste dag (30-06-2027). Kies een laatste dag op of na de eerste dag.");
        assert_eq!(dutch_day("2027-06-30"), "30-06-2027");
    }
}
