//! The cells of an imported lead spreadsheet read as sales teams type them: budgets in 万,
//! head counts with 人 or as a range, decision times as 3个月 or 半年, dates as 2025/3/1 in
//! the workspace's time zone, several contacts in one cell, and "—" or 无 for nothing.
use crate::domain::validate::{ProblemCode, YEARS};
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Placeholders people write in a cell that has nothing to say.
const PLACEHOLDERS: [&str; 13] = ["-", "--", "—", "——", "/", "无", "暂无", "未知", "不详", "n/a", "na", "null", "none"];

/// Words around a number that make it approximate without changing it.
const ABOUT: [&str; 9] = ["约", "大约", "大概", "预计", "近", "超过", "逾", "about", "approx"];
const ABOUT_AFTER: [&str; 8] = ["左右", "以上", "以内", "之内", "以下", "上下", "多", "余"];

/// Whether a cell is empty or holds only a placeholder such as "—" or 无.
pub fn is_blank(cell: &str) -> bool {
    let cell = cell.trim();
    cell.is_empty() || PLACEHOLDERS.iter().any(|p| cell.eq_ignore_ascii_case(p))
}

/// Full-width letters, digits and signs, as Chinese input methods type them, in ASCII.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{FFE5}' => '¥',
            _ => c,
        })
        .collect()
}

/// Whether a column's header says its amounts are in 万 (10,000 yuan), as in 预算（万元）.
pub fn in_ten_thousands(header: &str) -> bool {
    header.contains('万')
}

/// A number cell in ASCII, lower case, without spaces or thousands separators.
fn compact(cell: &str) -> String {
    half_width(cell).chars().filter(|c| !c.is_whitespace() && *c != ',').flat_map(char::to_lowercase).collect()
}

fn words(a: &[&'static str], b: &[&'static str]) -> Vec<&'static str> {
    a.iter().chain(b).copied().collect()
}

/// Strips the given words from both ends, repeatedly ("约500人以上" → "500").
fn strip_words<'a>(mut s: &'a str, before: &[&str], after: &[&str]) -> &'a str {
    loop {
        let start = s;
        for word in before {
            s = s.strip_prefix(word).unwrap_or(s);
        }
        for word in after {
            s = s.strip_suffix(word).unwrap_or(s);
        }
        if s == start {
            return s;
        }
    }
}

/// The number a text starts with (digits, or Chinese numerals up to 99, or 半) and the rest.
fn leading_number(s: &str) -> Option<(f64, &str)> {
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    if end > 0 {
        return s[..end].parse::<f64>().ok().map(|x| (x, &s[end..]));
    }
    let end = s.find(|c: char| !"零一二两三四五六七八九十半".contains(c)).unwrap_or(s.len());
    chinese_number(&s[..end]).map(|x| (x, &s[end..]))
}

fn chinese_number(s: &str) -> Option<f64> {
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).or((c == '两').then_some(2));
    let chars: Vec<char> = s.chars().collect();
    let value = match chars.as_slice() {
        ['半'] => return Some(0.5),
        ['十'] => 10,
        ['十', one] => 10 + digit(*one)?,
        [ten, '十'] => digit(*ten)? * 10,
        [ten, '十', one] => digit(*ten)? * 10 + digit(*one)?,
        [one] => digit(*one)?,
        _ => return None,
    };
    Some(value as f64)
}

/// The two ends of a range such as 100-499 or 100~499, or the whole text and none.
fn range_ends(s: &str) -> (&str, Option<&str>) {
    for separator in ["-", "~", "至", "到", "—", "–"] {
        if let Some((low, high)) = s.split_once(separator) {
            if !low.is_empty() {
                return (low, Some(high));
            }
        }
    }
    (s, None)
}

/// A head count: "300", "300人", "1,200", "约500人", "1万人"; a range ("100-499人") counts
/// as its lower end.
pub fn employees(cell: &str) -> Result<u64, String> {
    let s = compact(cell);
    let s = strip_words(&s, &ABOUT, &words(&ABOUT_AFTER, &["人", "名", "员工", "people", "employees", "staff", "+"]));
    let x = leading_number(range_ends(s).0).and_then(|(x, unit)| match unit {
        "" => Some(x),
        "万" | "w" => Some(x * 10_000.0),
        "千" | "k" => Some(x * 1_000.0),
        _ => None,
    });
    match x {
        Some(x) if x.is_finite() && x.fract() == 0.0 && x < 1e15 => Ok(x as u64),
        _ => Err(format!("`{}` is not a number of employees", cell.trim())),
    }
}

/// A number and the factor its unit says (元 1, 万 10,000, 亿 100,000,000 …), if it has one.
fn money(s: &str) -> Option<(f64, Option<f64>)> {
    let (x, unit) = leading_number(s)?;
    let factor = match unit {
        "" => None,
        "元" | "块" | "yuan" => Some(1.0),
        "千" | "千元" | "k" => Some(1e3),
        "万" | "万元" | "w" => Some(1e4),
        "百万" | "百万元" | "m" => Some(1e6),
        "千万" | "千万元" => Some(1e7),
        "亿" | "亿元" => Some(1e8),
        _ => return None,
    };
    Some((x, factor))
}

/// A budget in yuan: "200000", "200,000", "¥200,000", "20万", "20万元", "1.5万"; a range
/// ("10-20万") counts as its lower end. A plain number is in 万 when the column's header says
/// so ([`in_ten_thousands`]). A negative amount is returned as it is, for the lead's checks.
pub fn budget(cell: &str, ten_thousands: bool) -> Result<f64, String> {
    let s = compact(cell);
    let currency = ["¥", "rmb", "cny", "人民币"];
    let s = strip_words(&s, &words(&currency, &ABOUT), &words(&currency, &ABOUT_AFTER));
    let (sign, s) = match s.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, s),
    };
    let (low, high) = range_ends(s);
    let Some((x, factor)) = money(low) else { return Err(format!("`{}` is not an amount", cell.trim())) };
    let plain = if ten_thousands { 1e4 } else { 1.0 };
    let factor = factor.or_else(|| high.and_then(money).and_then(|(_, factor)| factor)).unwrap_or(plain);
    Ok((sign * x * factor * 100.0).round() / 100.0)
}

/// Months until the customer decides: "3", "3个月", "3个月内", "半年" (6), "一年" (12), "两周"
/// (1: any part of a month counts as one), "立即" (0), or the date of the decision, counted in
/// whole months from `today` and rounded up (a date already past is 0).
pub fn decision_months(cell: &str, today: NaiveDate) -> Result<u32, String> {
    if let Some(at) = local_datetime(cell) {
        return Ok(months_until(today, at.date()));
    }
    let s = compact(cell);
    let s = strip_words(&s, &words(&ABOUT, &["计划", "within", "in"]), &["以内", "之内", "左右", "内"]);
    if ["立即", "马上", "立刻", "即刻", "现在", "随时", "immediately", "now", "asap"].contains(&s) {
        return Ok(0);
    }
    if ["本月", "当月", "thismonth"].contains(&s) {
        return Ok(1);
    }
    let months = leading_number(s).and_then(|(x, unit)| {
        let per_unit = match unit {
            "" | "个月" | "月" | "month" | "months" | "mo" => 1.0,
            "年" | "year" | "years" | "yr" => 12.0,
            "周" | "星期" | "个星期" | "礼拜" | "个礼拜" | "week" | "weeks" | "wk" => 7.0 / 30.0,
            "天" | "日" | "day" | "days" => 1.0 / 30.0,
            _ => return None,
        };
        // Rounded first, so that 0.1 × 30 days is not a hair over three months.
        Some(((x * per_unit * 1e6).round() / 1e6).ceil())
    });
    match months {
        Some(m) if m <= f64::from(u32::MAX) => Ok(m as u32),
        _ => Err(format!("`{}` is not a decision time: write months (3) or a date (2025-03-31)", cell.trim())),
    }
}

/// Whole months from `today` until `day`, rounded up; 0 for a day already past.
fn months_until(today: NaiveDate, day: NaiveDate) -> u32 {
    (0..=1200).find(|&m| today.checked_add_months(Months::new(m)).is_none_or(|d| d >= day)).unwrap_or(1200)
}

/// Minutes a rep talked with a visitor at a booth: "30", "30分钟", "0.5小时", "0:30:00".
pub fn minutes(cell: &str) -> Result<u32, String> {
    let s = compact(cell);
    let s = strip_words(&s, &ABOUT, &["左右", "以上"]);
    let clock: Vec<&str> = s.split(':').collect();
    let value = match clock.as_slice() {
        [h, m] => number(h).zip(number(m)).map(|(h, m)| h * 60.0 + m),
        [h, m, sec] => number(h).zip(number(m)).zip(number(sec)).map(|((h, m), sec)| h * 60.0 + m + sec / 60.0),
        _ => leading_number(s).and_then(|(x, unit)| match unit {
            "" | "分钟" | "分" | "m" | "min" | "mins" | "minute" | "minutes" => Some(x),
            "小时" | "个小时" | "h" | "hr" | "hrs" | "hour" | "hours" => Some(x * 60.0),
            "秒" | "s" | "sec" | "seconds" => Some(x / 60.0),
            _ => None,
        }),
    };
    match value {
        Some(x) if (0.0..=f64::from(u32::MAX)).contains(&x) => Ok(x.round() as u32),
        _ => Err(format!("`{}` is not a number of minutes", cell.trim())),
    }
}

fn number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0)
}

fn whole(s: &str) -> Option<u32> {
    s.parse().ok()
}

/// A date with an optional time as spreadsheets hold them: 2025-03-01, 2025/3/1, 2025.3.1,
/// 2025年3月1日, 20250301, each with an optional 14:30 or 14:30:05.
pub fn local_datetime(cell: &str) -> Option<NaiveDateTime> {
    let s = half_width(cell.trim()).replace(['年', '月'], "-").replace(['日', '号'], " ");
    let s = s.trim();
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((date, time)) => (date, time.trim()),
        None => (s, ""),
    };
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    let day = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => NaiveDate::from_ymd_opt(y.parse().ok()?, whole(m)?, whole(d)?)?,
        [ymd] if ymd.len() == 8 && ymd.bytes().all(|b| b.is_ascii_digit()) => {
            NaiveDate::parse_from_str(ymd, "%Y%m%d").ok()?
        }
        _ => return None,
    };
    let parts: Vec<&str> = time.split(':').collect();
    let time = match parts.as_slice() {
        [""] => NaiveTime::MIN,
        [h, m] => NaiveTime::from_hms_opt(whole(h)?, whole(m)?, 0)?,
        [h, m, sec] => NaiveTime::from_hms_opt(whole(h)?, whole(m)?, whole(sec.split('.').next()?)?)?,
        _ => return None,
    };
    Some(day.and_time(time))
}

/// A moment: RFC 3339, or a date and optional time ([`local_datetime`]) in the workspace's
/// time zone `tz`, as UTC.
pub fn instant(cell: &str, tz: Tz) -> Result<DateTime<Utc>, (ProblemCode, String)> {
    let cell = cell.trim();
    let (at, year) = match DateTime::parse_from_rfc3339(cell) {
        Ok(at) => (at.with_timezone(&Utc), at.year()),
        Err(_) => {
            let Some(local) = local_datetime(cell) else {
                let message = format!("`{cell}` is not a date: write it as 2025-03-01 or 2025-03-01 14:30");
                return Err((ProblemCode::BadTime, message));
            };
            // A wall time that a daylight-saving change skips is read as UTC.
            let at = tz.from_local_datetime(&local).earliest().unwrap_or_else(|| tz.from_utc_datetime(&local));
            (at.with_timezone(&Utc), local.year())
        }
    };
    if !YEARS.contains(&year) {
        let message = format!("`{cell}` is outside the years {} to {}", YEARS.start(), YEARS.end());
        return Err((ProblemCode::OutOfYears, message));
    }
    Ok(at)
}

/// A phone number as written (trimmed, full-width digits in ASCII); it must hold a digit.
pub fn phone(cell: &str) -> Result<String, String> {
    let phone = half_width(cell).trim().to_owned();
    if phone.chars().any(|c| c.is_ascii_digit()) {
        Ok(phone)
    } else {
        Err(format!("`{phone}` is not a phone number"))
    }
}

/// An e-mail address as written, without a `mailto:` in front.
pub fn email(cell: &str) -> String {
    let email = half_width(cell.trim());
    email.strip_prefix("mailto:").unwrap_or(&email).trim().to_owned()
}

/// The phone numbers and e-mail addresses of a 联系方式 cell such as "13800000000 / li@x.com":
/// a part with an `@` is an e-mail address, any other a phone number.
pub fn contact_parts(cell: &str) -> (Vec<String>, Vec<String>) {
    let (mut phones, mut emails) = (Vec::new(), Vec::new());
    for part in cell.split(['/', ';', '；', ',', '，', '、', '|', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        if part.contains(['@', '＠']) {
            emails.push(email(part));
        } else {
            phones.push(part.to_owned());
        }
    }
    (phones, emails)
}

/// Tags separated by commas, 、, semicolons or slashes, each once.
pub fn tags(cell: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in cell.split([',', '，', '、', ';', '；', '/', '|', '\n']).map(str::trim) {
        if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn head_counts_take_units_words_and_ranges() {
        for (cell, n) in [("300", 300), ("300人", 300), ("1,200", 1200), ("约500人", 500), ("１２０", 120)] {
            assert_eq!(employees(cell), Ok(n), "{cell}");
        }
        for (cell, n) in [("100-499", 100), ("100~499人", 100), ("500人以上", 500), ("1万人", 10_000)] {
            assert_eq!(employees(cell), Ok(n), "{cell}");
        }
        for bad in ["很多", "1.5", "-3", "3家"] {
            assert!(employees(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn budgets_take_currency_thousands_separators_and_wan() {
        for (cell, amount) in [("200000", 200_000.0), ("200,000", 200_000.0), ("¥200,000", 200_000.0)] {
            assert_eq!(budget(cell, false), Ok(amount), "{cell}");
        }
        for (cell, amount) in [("20万", 2e5), ("20万元", 2e5), ("1.5万", 15_000.0), ("￥3,000 元", 3e3)] {
            assert_eq!(budget(cell, false), Ok(amount), "{cell}");
        }
        assert_eq!(budget("10-20万", false), Ok(100_000.0));
        assert_eq!(budget("20", true), Ok(200_000.0));
        assert_eq!(budget("3000元", true), Ok(3_000.0));
        assert_eq!(budget("-5", false), Ok(-5.0));
        assert!(budget("面议", false).is_err());
        assert!(in_ten_thousands("预算（万元）") && !in_ten_thousands("预算(元)"));
    }

    #[test]
    fn decision_times_take_months_words_and_dates() {
        let today = day("2025-01-15");
        for (cell, m) in [("3", 3), ("3个月", 3), ("3个月内", 3), ("半年", 6), ("一年", 12), ("1年", 12)] {
            assert_eq!(decision_months(cell, today), Ok(m), "{cell}");
        }
        for (cell, m) in [("1周", 1), ("两周", 1), ("立即", 0), ("马上", 0), ("十二个月", 12), ("2 mo", 2)] {
            assert_eq!(decision_months(cell, today), Ok(m), "{cell}");
        }
        assert_eq!(decision_months("2025-03-31", today), Ok(3));
        assert_eq!(decision_months("2025/3/15", today), Ok(2));
        assert_eq!(decision_months("2024-12-01", today), Ok(0));
        assert!(decision_months("看情况", today).is_err());
    }

    #[test]
    fn minutes_take_units_and_clock_times() {
        for (cell, m) in [("30", 30), ("30分钟", 30), ("0.5小时", 30), ("半小时", 30), ("0:45:00", 45), ("1:30", 90)]
        {
            assert_eq!(minutes(cell), Ok(m), "{cell}");
        }
        assert!(minutes("挺久").is_err());
    }

    #[test]
    fn dates_are_read_in_the_workspace_time_zone() {
        let tz = chrono_tz::Asia::Shanghai;
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(instant("2024-03-01", tz), Ok(utc("2024-02-29T16:00:00Z")));
        assert_eq!(instant("2024/3/1 10:30", tz), Ok(utc("2024-03-01T02:30:00Z")));
        assert_eq!(instant("2024年3月1日 10:30:15", tz), Ok(utc("2024-03-01T02:30:15Z")));
        assert_eq!(instant("2024-03-01T10:00:00+08:00", tz), Ok(utc("2024-03-01T02:00:00Z")));
        assert_eq!(instant("2024-03-01 10:00", chrono_tz::UTC), Ok(utc("2024-03-01T10:00:00Z")));
        assert_eq!(instant("上周", tz).unwrap_err().0, ProblemCode::BadTime);
        assert_eq!(instant("2024-02-30", tz).unwrap_err().0, ProblemCode::BadTime);
        assert_eq!(instant("1999-12-31", tz).unwrap_err().0, ProblemCode::OutOfYears);
    }

    #[test]
    fn a_contact_cell_holds_phones_and_emails() {
        let (phones, emails) = contact_parts("13800000000 / li@x.com");
        assert_eq!((phones, emails), (vec!["13800000000".to_owned()], vec!["li@x.com".to_owned()]));
        assert_eq!(contact_parts("mailto:li＠x.com").1, ["li@x.com"]);
        assert_eq!(phone(" +86 138-0000-0000 "), Ok("+86 138-0000-0000".to_owned()));
        assert!(phone("微信同号").is_err());
    }

    #[test]
    fn tags_split_on_every_separator_and_placeholders_are_blank() {
        assert_eq!(tags("大客户, 制造业、 复购；大客户/ /华东"), ["大客户", "制造业", "复购", "华东"]);
        assert!(is_blank(" — ") && is_blank("无") && is_blank("N/A") && !is_blank("0"));
    }
}
