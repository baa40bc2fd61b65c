//! Whole numbers to text without `core::fmt`, which would add kilobytes to the widget.
use alloc::string::String;

/// Appends the decimal digits of `n` to `out`, without `core::fmt` (which would add
/// kilobytes to the widget).
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    // Digits from the highest power of ten down; no buffer, so no bounds checks.
    let magnitude = n.unsigned_abs();
    let mut power = core::num::NonZeroU64::MIN;
    while magnitude / power >= 10 {
        power = power.saturating_mul(core::num::NonZeroU64::new(10).unwrap_or(power));
    }
    loop {
        out.push(char::from(b'0' + ((magnitude / power) % 10) as u8));
        match core::num::NonZeroU64::new(power.get() / 10) {
            Some(lower) => power = lower,
            None => break,
        }
    }
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
