//! `/.well-known/security.txt` (RFC 9116): where to report a vulnerability, from the
//! operator's configuration (`serve --security-contact`, `--security-expires`). It is on the
//! Dutch government's "comply or explain" list; a collector without a contact serves none
//! and says so at start.
use time::Date;
use time::macros::format_description;

/// Why the security contact cannot be published.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecurityTxtError {
    /// A contact must be a `mailto:`, `https:` or `tel:` address.
    #[error("--security-contact `{0}` is not a mailto:, https: or tel: address (e.g. mailto:security@gemeente.nl)")]
    Contact(String),
    /// The expiry is not a date (`YYYY-MM-DD`).
    #[error("--security-expires `{0}` is not a date; write it as 2027-12-31")]
    NotADate(String),
    /// The expiry has passed: readers would ignore the file.
    #[error("--security-expires {0} is not after today; choose a day within the next year")]
    Expired(String),
}

/// The file's text: contacts, expiry (end of that day, UTC) and the languages reports may
/// be written in.
pub fn text(contacts: &[String], expires: &str, today: Date) -> Result<String, SecurityTxtError> {
    let mut text = String::new();
    for contact in contacts {
        let contact = contact.trim();
        let known = ["mailto:", "https://", "tel:"].iter().any(|scheme| contact.starts_with(scheme));
        if !known || contact.len() <= 7 || contact.chars().any(char::is_whitespace) {
            return Err(SecurityTxtError::Contact(contact.to_string()));
        }
        text.push_str(&format!("Contact: {contact}\n"));
    }
    let day = Date::parse(expires.trim(), format_description!("[year]-[month]-[day]")).map_err(|_| SecurityTxtError::NotADate(expires.to_string()))?;
    if day <= today {
        return Err(SecurityTxtError::Expired(expires.to_string()));
    }
    text.push_str(&format!("Expires: {day}T23:59:59Z\nPreferred-Languages: nl, en\n"));
    Ok(text)
}

/// The default expiry: 364 days from `today` (RFC 9116 asks for less than a year).
pub fn default_expiry(today: Date) -> String {
    (today + time::Duration::days(364)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_file_says_whom_to_tell_until_when() {
        let today = date!(2026 - 12 - 07);
        let contacts = ["mailto:security@gemeente.nl".to_string(), "https://gemeente.nl/melden".to_string()];
        assert_eq!(
            text(&contacts, "2027-06-30", today).unwrap(),
            "Contact: mailto:security@gemeente.nl\nContact: https://gemeente.nl/melden\nExpires: 2027-06-30T23:59:59Z\nPreferred-Languages: nl, en\n"
        );
        assert_eq!(default_expiry(today), "2027-12-06");
        let cases = [
            ("security@gemeente.nl", "2027-06-30", SecurityTxtError::Contact("security@gemeente.nl".into())),
            ("http://gemeente.nl", "2027-06-30", SecurityTxtError::Contact("http://gemeente.nl".into())),
            ("mailto:", "2027-06-30", SecurityTxtError::Contact("mailto:".into())),
            ("mailto:a@b.nl", "30-06-2027", SecurityTxtError::NotADate("30-06-2027".into())),
            ("mailto:a@b.nl", "2026-12-07", SecurityTxtError::Expired("2026-12-07".into())),
        ];
        for (contact, expires, error) in cases {
            assert_eq!(text(&[contact.to_string()], expires, today), Err(error), "{contact} {expires}");
        }
    }
}
