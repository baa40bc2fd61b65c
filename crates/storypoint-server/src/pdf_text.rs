//! Text for PDFs in the standard fonts (no font embedded): [`win_ansi`] encodes a text for
//! WinAnsiEncoding, [`wrap`] breaks it into lines between words. The flyers and the
//! work-session report both write with these.

/// Text in the PDF's standard fonts (WinAnsiEncoding): Latin letters with accents as they
/// are, typographic quotes and dashes mapped, anything else `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{A0}'..='\u{FF}' => c as u32 as u8,
            '\u{20AC}' => 0x80,
            '\u{2022}' => 0x95,
            '\u{2026}' => 0x85,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// `text` in lines of at most `width` characters, broken between words (a word longer
/// than a line is cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let rest = word.chars().skip(width).collect();
            lines.push(word.chars().take(width).collect());
            word = rest;
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line += &word;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_encoded_for_the_standard_fonts_and_wrapped_between_words() {
        assert_eq!(win_ansi("café “ja” – €"), b"caf\xe9 \x93ja\x94 \x96 \x80");
        assert_eq!(win_ansi("مرحبا"), b"?????");
        assert_eq!(wrap("een twee drie vier", 9), ["een twee", "drie vier"]);
        assert_eq!(wrap("lang", 0), ["l", "a", "n", "g"]);
    }
}
