//! How Genjin writes numbers for people: amounts in yuan with thousands separators, rates as
//! percentages with one decimal, decimals, dates and times.
//!
//! Numbers and dates are written with integer arithmetic: the browser's wasm then carries
//! neither the standard library's float printer nor chrono's `strftime` interpreter.

/// Groups the digits of a whole number in threes: `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in yuan, rounded to the yuan: `¥1,234,568`; negative amounts as `-¥1,200`.
pub fn cny(amount: f64) -> String {
    let rounded = amount.round() as i64;
    if rounded < 0 {
        format!("-¥{}", thousands(-rounded))
    } else {
        format!("¥{}", thousands(rounded))
    }
}

/// A fraction (0–1) as a percentage with one decimal: `0.1234` → `12.3%`.
pub fn percent(x: f64) -> String {
    format!("{}%", tenths((x * 1000.0).round() as i64))
}

/// A count of tenths with one decimal: `123` → `12.3`; never `-0.0`.
pub fn tenths(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}.{}", n.unsigned_abs() / 10, n.unsigned_abs() % 10)
}

/// `v` with exactly `decimals` decimals (at most 6), rounded as `format!("{v:.decimals$}")`
/// rounds (the exact binary value, ties to even), without a sign on zero; not finite is `—`.
pub fn fixed(v: f64, decimals: u32) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let decimals = decimals.min(6);
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = u128::from(bits & ((1 << 52) - 1));
    // v = mantissa × 2^exponent, exactly.
    let (mantissa, exponent) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    let scaled = mantissa * 10u128.pow(decimals);
    let n = if exponent >= 0 {
        // 2^53 × 10^6 × 2^exponent stays below 2^128 for every amount a person can mean.
        scaled.checked_shl(exponent as u32).unwrap_or(u128::MAX)
    } else if -exponent > 100 {
        0
    } else {
        let shift = (-exponent) as u32;
        let whole = scaled >> shift;
        let rest = scaled - (whole << shift);
        let half = 1u128 << (shift - 1);
        whole + u128::from(rest > half || (rest == half && whole % 2 == 1))
    };
    let unit = 10u128.pow(decimals);
    let sign = if v < 0.0 && n != 0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{n}")
    } else {
        format!("{sign}{}.{:0width$}", n / unit, n % unit, width = decimals as usize)
    }
}

/// `v` with up to `decimals` decimals, trailing zeros dropped: `0.5`, `1.25`, `3`.
pub fn short(v: f64, decimals: u32) -> String {
    let s = fixed(v, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_in_yuan_with_thousands_separators() {
        assert_eq!(cny(0.0), "¥0");
        assert_eq!(cny(999.4), "¥999");
        assert_eq!(cny(1000.0), "¥1,000");
        assert_eq!(cny(183_456.78), "¥183,457");
        assert_eq!(cny(1_234_567.0), "¥1,234,567");
        assert_eq!(cny(-12_000.0), "-¥12,000");
        assert_eq!(thousands(-1_000_000), "-1,000,000");
        assert_eq!(thousands(12), "12");
    }

    #[test]
    fn rates_are_percentages_with_one_decimal() {
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(percent(0.12345), "12.3%");
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(percent(-0.0001), "0.0%");
        assert_eq!(percent(-0.25), "-25.0%");
        assert_eq!(tenths(-5), "-0.5");
    }

    #[test]
    fn fixed_decimals_round_as_the_standard_formatter_does() {
        // Ties on the exact binary value go to even; values that only look like ties
        // (0.35 is 0.34999…) go down, as `format!` does.
        assert_eq!(fixed(0.25, 1), "0.2");
        assert_eq!(fixed(0.35, 1), "0.3");
        assert_eq!(fixed(2.5, 0), "2");
        assert_eq!(fixed(3.5, 0), "4");
        assert_eq!(fixed(1.45, 1), "1.4");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(12_345_678.9, 2), "12345678.90");
        assert_eq!(fixed(f64::NAN, 1), "—");
        assert_eq!(short(0.6000000000000001, 3), "0.6");
        assert_eq!(short(2.0, 3), "2");
        assert_eq!(short(1.25, 3), "1.25");
        // Against the standard library over a spread of magnitudes and signs.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let magnitude = 10f64.powi(i % 12 - 4);
            let v = (x % 2_000_001) as f64 / 1_000_000.0 * magnitude - magnitude;
            for d in 0..=4 {
                let expected = format!("{v:.*}", d as usize);
                let expected = if expected.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
                    expected.trim_start_matches('-').to_string()
                } else {
                    expected
                };
                assert_eq!(fixed(v, d), expected, "{v} with {d} decimals");
            }
        }
    }
}

// ---- Dates, times and typed amounts (the lead pages) ----

/// The workspace time zone's offset from UTC, in seconds east, as the pages show times in it:
/// the server sends it with every page ([`crate::domain::people::Visit`]), computed from the
/// workspace's time-zone setting. A fixed offset keeps the time-zone database (all of IANA's
/// zones and transitions) out of the browser's wasm; the server, which computes every KPI,
/// uses the zone itself. Until a page says otherwise: Asia/Shanghai's UTC+8, the settings'
/// default, which has held all year since 1991.
static WORKSPACE_OFFSET: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(8 * 3600);

/// Shows times in the workspace's zone from now on (`seconds` east of UTC; an offset beyond a
/// day is ignored).
pub fn set_workspace_offset(seconds: i32) {
    if chrono::FixedOffset::east_opt(seconds).is_some() {
        WORKSPACE_OFFSET.store(seconds, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The workspace time zone the pages show times in.
pub fn tz() -> chrono::FixedOffset {
    let seconds = WORKSPACE_OFFSET.load(std::sync::atomic::Ordering::Relaxed);
    use chrono::Offset;
    chrono::FixedOffset::east_opt(seconds).unwrap_or_else(|| chrono::Utc.fix())
}

/// The workspace time zone as people read it beside a time: `UTC+8`, `UTC+5:30`, `UTC−3`.
pub fn zone_label() -> String {
    offset_label(tz().local_minus_utc())
}

fn offset_label(seconds: i32) -> String {
    let (sign, minutes) = if seconds < 0 { ('−', -seconds / 60) } else { ('+', seconds / 60) };
    match minutes % 60 {
        0 => format!("UTC{sign}{}", minutes / 60),
        m => format!("UTC{sign}{}:{m:02}", minutes / 60),
    }
}

/// An optional amount in yuan; unknown is a dash.
pub fn cny_opt(amount: Option<f64>) -> String {
    amount.filter(|a| a.is_finite()).map_or_else(|| "—".into(), cny)
}

/// The day of a moment in the workspace time zone: `2026-03-01`.
pub fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Datelike;
    let local = at.with_timezone(&tz());
    format!("{:04}-{:02}-{:02}", local.year(), local.month(), local.day())
}

/// A moment in the workspace time zone, to the minute: `2026-03-01 10:30`.
pub fn date_time(at: chrono::DateTime<chrono::Utc>) -> String {
    format!("{} {}", date(at), clock(at))
}

/// The value of a `datetime-local` input showing this moment in the workspace time zone.
pub fn to_local_input(at: chrono::DateTime<chrono::Utc>) -> String {
    format!("{}T{}", date(at), clock(at))
}

/// The hour and minute of a moment in the workspace time zone: `10:30`.
fn clock(at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    let local = at.with_timezone(&tz());
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// Reads a `datetime-local` value (`2026-03-01T10:30`, seconds and their fraction optional)
/// as a time in the workspace time zone; `None` when blank or not a time.
pub fn from_local_input(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let (day, clock) = text.trim().split_once(['T', ' '])?;
    let mut parts = clock.splitn(3, ':');
    let hour = number(parts.next()?, 2)?;
    let minute = number(parts.next()?, 2)?;
    let second = match parts.next() {
        Some(s) => number(
            s.split_once('.').map_or(
                s,
                |(whole, fraction)| {
                    if fraction.bytes().all(|b| b.is_ascii_digit()) {
                        whole
                    } else {
                        ""
                    }
                },
            ),
            2,
        )?,
        None => 0,
    };
    let naive = parse_day(day)?.and_hms_opt(hour, minute, second)?;
    tz().from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&chrono::Utc))
}

/// A day as URLs, date inputs and spreadsheets write it (`2026-03-01`, or `2026-3-1`);
/// `None` for anything else. Read by hand: chrono's format-string parser is the largest part
/// of chrono in the browser's code.
pub fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next().filter(|y| y.len() == 4)?;
    let year = i32::try_from(number(year, 4)?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, number(parts.next()?, 2)?, number(parts.next()?, 2)?)
}

/// A run of 1 to `max` ASCII digits.
fn number(text: &str, max: usize) -> Option<u32> {
    (!text.is_empty() && text.len() <= max && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
}

/// An amount that is not a number of yuan, 0 or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadAmount;

/// Reads an amount a person typed: blank is unknown; thousands separators (`,` `，`), spaces
/// and a leading `¥` are allowed; anything else must be a number, 0 or more.
pub fn parse_amount(text: &str) -> Result<Option<f64>, BadAmount> {
    let cleaned: String =
        text.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    decimal(&cleaned).map(Some).ok_or(BadAmount)
}

/// A plain decimal number, 0 or more (`12`, `12.5`, `.5`, `12.`; no sign, no exponent), read
/// exactly as the standard parser reads it — without carrying its tables into the browser's
/// wasm (about 12 KB gzipped): the digits make a whole number below 2^53 (exact as an `f64`),
/// divided once by a power of ten that is exact too, so the one rounding is the same.
pub fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    // Trailing zeros of the fraction change nothing.
    let fraction = fraction.trim_end_matches('0');
    let mut n: u64 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    // The powers of ten an `f64` holds exactly.
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    let power = POWERS.get(fraction.len())?;
    (n < 1 << 53).then(|| n as f64 / power)
}

/// A field that should hold a whole number does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotACount;

/// Reads a whole number field: empty is unknown, anything else must parse.
pub fn parse_count(text: &str) -> Result<Option<u32>, NotACount> {
    let text = text.trim().replace([',', '，'], "");
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u32>().map(Some).map_err(|_| NotACount)
}

/// The current time, in the browser (where the standard clock is unavailable) as on the server.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    #[cfg(target_arch = "wasm32")]
    {
        #[wasm_bindgen::prelude::wasm_bindgen]
        extern "C" {
            #[wasm_bindgen(js_namespace = Date, js_name = now)]
            fn date_now() -> f64;
        }
        chrono::DateTime::from_timestamp_millis(date_now() as i64).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        chrono::Utc::now()
    }
}

#[cfg(test)]
mod time_tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn an_offset_is_written_as_people_read_it() {
        assert_eq!(offset_label(8 * 3600), "UTC+8");
        assert_eq!(offset_label(5 * 3600 + 1800), "UTC+5:30");
        assert_eq!(offset_label(-3 * 3600), "UTC−3");
        assert_eq!(offset_label(0), "UTC+0");
    }

    #[test]
    fn times_are_shown_in_shanghai_time() {
        let t = at("2026-03-01T17:30:00Z");
        assert_eq!(date(t), "2026-03-02");
        assert_eq!(date_time(t), "2026-03-02 01:30");
        assert_eq!(to_local_input(t), "2026-03-02T01:30");
    }

    #[test]
    fn the_fixed_offset_is_shanghai_time_in_every_season() {
        use chrono::{Offset, TimeZone};
        for day in ["2000-01-15", "2024-07-01", "2026-03-29", "2026-10-25", "2035-12-31"] {
            let t = at(&format!("{day}T12:00:00Z"));
            let shanghai = chrono_tz::Asia::Shanghai.offset_from_utc_datetime(&t.naive_utc()).fix();
            assert_eq!(shanghai, tz(), "{day}");
        }
    }

    #[test]
    fn a_local_input_is_read_as_shanghai_time() {
        assert_eq!(from_local_input("2026-03-02T01:30"), Some(at("2026-03-01T17:30:00Z")));
        assert_eq!(from_local_input("2026-03-02T01:30:15"), Some(at("2026-03-01T17:30:15Z")));
        assert_eq!(from_local_input(""), None);
        assert_eq!(from_local_input("yesterday"), None);
        assert_eq!(from_local_input("2026-03-02T01:30:15.250"), Some(at("2026-03-01T17:30:15Z")));
        for bad in ["2026-03-02T25:00", "2026-03-02T01:", "2026-03-02T01:30:1x", "2026-02-30T10:00", "2026-03-02"] {
            assert_eq!(from_local_input(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_read_as_year_month_day() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_day("2026-03-01"), day(2026, 3, 1));
        assert_eq!(parse_day(" 2026-3-1 "), day(2026, 3, 1));
        for bad in ["", "2026-02-30", "26-03-01", "2026-003-01", "2026-03", "2026-03-01-", "2026/03/01", "+202-03-01"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn decimals_read_exactly_as_the_standard_parser_reads_them() {
        let mut x: u64 = 42;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let whole = (x >> 20) % 1_000_000_000;
            let decimals = (x >> 8) % 7;
            let fraction = (x >> 40) % 10u64.pow(decimals as u32);
            let text = if decimals == 0 {
                whole.to_string()
            } else {
                format!("{whole}.{fraction:0w$}", w = decimals as usize)
            };
            assert_eq!(decimal(&text), Some(text.parse::<f64>().unwrap()), "{text}");
        }
        for (text, want) in
            [("0", Some(0.0)), (".5", Some(0.5)), ("12.", Some(12.0)), ("1.2500", Some(1.25)), ("0.1", Some(0.1))]
        {
            assert_eq!(decimal(text), want, "{text}");
        }
        for bad in ["", ".", "-1", "+1", "1e5", "1.2.3", "１２", "inf", "NaN", "12a", "99999999999999999999"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn typed_amounts_accept_separators_and_refuse_the_rest() {
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount(" 200,000 "), Ok(Some(200_000.0)));
        assert_eq!(parse_amount("¥15，000.5"), Ok(Some(15_000.5)));
        assert!(parse_amount("-1").is_err());
        assert!(parse_amount("十万").is_err());
        assert_eq!(cny_opt(None), "—");
        assert_eq!(cny_opt(Some(200_000.0)), "¥200,000");
    }

    #[test]
    fn counts_accept_blank_and_thousands_separators_and_refuse_the_rest() {
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count(" 1,200 "), Ok(Some(1200)));
        assert_eq!(parse_count("15，000"), Ok(Some(15000)));
        assert!(parse_count("-3").is_err());
        assert!(parse_count("十").is_err());
    }
}
