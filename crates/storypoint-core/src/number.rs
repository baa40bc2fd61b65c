//! Whole numbers to text without `core::fmt`, which would add kilobytes to the widget.
use alloc::string::String;

/// Appends the decimal digits of `n` to `out`.
pub(crate) fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut magnitude = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (magnitude % 10) as u8;
        len += 1;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    for &digit in digits[..len].iter().rev() {
        out.push(char::from(digit));
    }
}

/// Concatenates text pieces and numbers: `concat(&[Piece::Str("max "), Piece::Int(5)])`.
pub(crate) fn concat(pieces: &[Piece<'_>]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Str(s) => out.push_str(s),
            Piece::Int(n) => push_int(&mut out, *n),
        }
    }
    out
}

/// One piece of a message built by [`concat`].
pub(crate) enum Piece<'a> {
    Str(&'a str),
    Int(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_print_like_display() {
        for n in [0, 7, -7, 10, 23, 5000, i64::MAX, i64::MIN] {
            let mut out = String::new();
            push_int(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
