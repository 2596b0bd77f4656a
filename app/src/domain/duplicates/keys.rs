//! The forms in which leads' contact details are compared: what a sales rep types for the
//! same customer differs in full-width forms, spacing, country codes and legal forms.

/// Turns full-width ASCII forms (ＡＢＣ１２３，) into their ordinary forms and the ideographic
/// space into a space, as Chinese input methods type them.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Brackets whose content is a note (a region, 集团, "China"), not part of the name.
const OPEN: [char; 6] = ['(', '[', '{', '【', '〔', '〖'];
const CLOSE: [char; 6] = [')', ']', '}', '】', '〕', '〗'];

/// Chinese legal forms that end the name proper: anything after them names a branch or office
/// ("华信科技有限公司北京分公司").
const CN_LEGAL_FORMS: [&str; 3] = ["股份有限公司", "有限责任公司", "有限公司"];

/// Chinese endings stripped repeatedly from the end, longest first so 分公司 goes before 公司.
const CN_ENDINGS: [&str; 8] = ["分公司", "总公司", "办事处", "公司", "集团", "总部", "股份", "有限"];

/// English legal words: stripped from the end, and anything after one of the first group is a
/// branch or office ("ABC Co., Ltd. Shanghai Branch").
const EN_LEGAL_WORDS: [&str; 10] =
    ["co", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "llc", "plc", "gmbh"];
const EN_ENDINGS: [&str; 4] = ["group", "company", "branch", "office"];

/// The normalised company name leads are compared by: "上海华信科技股份有限公司",
/// "上海 华信科技（集团）" and "上海华信科技有限公司北京分公司" all give "上海华信科技";
/// "ＡＢＣ有限公司" and "ABC Co., Ltd." give "abc". `None` when fewer than two letters or
/// digits remain (an empty name, or one made only of legal forms).
pub fn company_key(name: &str) -> Option<String> {
    // Words of letters and digits, lower case, with bracketed notes left out.
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut depth = 0usize;
    for c in name.chars().map(half_width) {
        if OPEN.contains(&c) {
            depth += 1;
        } else if CLOSE.contains(&c) {
            depth = depth.saturating_sub(1);
        } else if depth > 0 {
            continue;
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }

    if let Some(cut) = words.iter().skip(1).position(|w| EN_LEGAL_WORDS.contains(&w.as_str())) {
        words.truncate(cut + 1);
    }
    while words.last().is_some_and(|w| EN_LEGAL_WORDS.contains(&w.as_str()) || EN_ENDINGS.contains(&w.as_str())) {
        words.pop();
    }

    let mut key = words.concat();
    if let Some(cut) = CN_LEGAL_FORMS.iter().filter_map(|form| key.find(form)).min() {
        key.truncate(cut);
    }
    while let Some(ending) = CN_ENDINGS.iter().find(|ending| key.ends_with(*ending)) {
        key.truncate(key.len() - ending.len());
    }
    (key.chars().count() >= 2).then_some(key)
}

/// The phone number leads are compared by: its digits, with China's country code (+86,
/// 0086) taken off a mobile number and turned into the trunk 0 of a landline, so
/// "+86 138-0000-0000" matches "13800000000" and "+86 21 6888 0000" matches "021-68880000".
/// `None` under seven digits.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().map(half_width).filter(char::is_ascii_digit).collect();
    let national = ["0086", "86"].iter().find_map(|prefix| digits.strip_prefix(prefix));
    let key = match national {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_owned(),
        Some(rest) if (9..=11).contains(&rest.len()) && !rest.starts_with('0') && !rest.starts_with('1') => {
            format!("0{rest}")
        }
        Some(rest) if rest.len() == 10 && rest.starts_with("10") => format!("0{rest}"),
        _ => digits,
    };
    (key.len() >= 7).then_some(key)
}

/// The e-mail address leads are compared by: trimmed and lower case. `None` without an `@`
/// between a name and a domain.
pub fn email_key(email: &str) -> Option<String> {
    let key = email.trim().to_lowercase();
    let (name, domain) = key.rsplit_once('@')?;
    if name.is_empty() || domain.is_empty() {
        return None;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_brackets_and_spaces_do_not_tell_two_companies_apart() {
        let expected = Some("上海华信科技".to_owned());
        for name in [
            "上海华信科技有限公司",
            "上海华信科技股份有限公司",
            "上海 华信科技（集团）",
            "上海华信科技有限责任公司",
            "上海华信科技集团有限公司",
            "上海华信科技有限公司北京分公司",
            "  上海华信科技\u{3000}公司 ",
        ] {
            assert_eq!(company_key(name), expected, "{name}");
        }
        assert_ne!(company_key("上海华信电子有限公司"), expected);
    }

    #[test]
    fn full_width_and_english_legal_forms_compare_as_plain_lower_case() {
        assert_eq!(company_key("ＡＢＣ有限公司"), Some("abc".to_owned()));
        assert_eq!(company_key("abc"), Some("abc".to_owned()));
        assert_eq!(company_key("ABC Co., Ltd."), Some("abc".to_owned()));
        assert_eq!(company_key("ABC (Shanghai) Limited"), Some("abc".to_owned()));
        assert_eq!(company_key("ABC Inc. Shanghai Branch"), Some("abc".to_owned()));
        assert_eq!(company_key("Costco"), Some("costco".to_owned()));
        assert_eq!(company_key("Acme Widgets Corp"), Some("acmewidgets".to_owned()));
    }

    #[test]
    fn a_name_made_only_of_legal_forms_or_one_letter_has_no_key() {
        for name in ["", "  ", "有限公司", "（上海）", "集团公司", "A", "华", "Co., Ltd."] {
            assert_eq!(company_key(name), None, "{name}");
        }
    }

    #[test]
    fn a_mobile_with_or_without_the_country_code_is_one_phone() {
        let expected = Some("13800000000".to_owned());
        for phone in
            ["+86 138-0000-0000", "13800000000", "0086 13800000000", "8613800000000", "１３８ ００００ ００００"]
        {
            assert_eq!(phone_key(phone), expected, "{phone}");
        }
        assert_ne!(phone_key("13800000001"), expected);
    }

    #[test]
    fn a_landline_with_the_country_code_gets_its_trunk_zero_back() {
        assert_eq!(phone_key("+86 21 6888 0000"), phone_key("021-68880000"));
        assert_eq!(phone_key("+86 10 6888 0000"), Some("01068880000".to_owned()));
        assert_eq!(phone_key("6888 0000"), Some("68880000".to_owned()));
    }

    #[test]
    fn a_phone_under_seven_digits_has_no_key() {
        assert_eq!(phone_key("12345"), None);
        assert_eq!(phone_key("无"), None);
        assert_eq!(phone_key("123-456"), None);
        assert_eq!(phone_key("1234567"), Some("1234567".to_owned()));
    }

    #[test]
    fn an_email_compares_trimmed_and_in_lower_case() {
        assert_eq!(email_key("  Wang.Li@Example.COM "), Some("wang.li@example.com".to_owned()));
        assert_eq!(email_key("wang.li"), None);
        assert_eq!(email_key("@example.com"), None);
        assert_eq!(email_key("wang@"), None);
    }
}
