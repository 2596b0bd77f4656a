//! What a grade asks of the rep, written from the workspace's settings (PRODUCT.md §4, §5):
//! who follows up, the response SLA and the cadence. The start page's calculator and the lead
//! form say the same, and change when an admin changes the numbers.
use crate::domain::enums::Grade;
use crate::i18n::Lang;
use crate::settings::WorkspaceSettings;

crate::texts! {
    WhoS: "经理亲自跟进", "a manager follows up personally";
    WhoA: "高级销售跟进", "a senior rep follows up";
    WhoBC: "销售跟进", "a rep follows up";
    FirstContact: "首次联系时限", "first contact within";
    Every: "跟进频率", "follow up";
    MonthlyReview: "每月重新评估", "re-evaluated monthly";
}

/// Hours as people write them: whole hours without decimals, else one decimal.
fn hours(h: f64, lang: Lang) -> String {
    let text = if h.fract() == 0.0 { crate::format::fixed(h, 0) } else { crate::format::fixed(h, 1) };
    match lang {
        Lang::Zh => format!("{text} 小时"),
        Lang::En => format!("{text} h"),
    }
}

/// A cadence as people say it: daily, every N days, weekly.
fn every(days: u32, lang: Lang) -> String {
    match (days, lang) {
        (1, Lang::Zh) => "每天".into(),
        (7, Lang::Zh) => "每周".into(),
        (d, Lang::Zh) => format!("每 {d} 天"),
        (1, Lang::En) => "daily".into(),
        (7, Lang::En) => "weekly".into(),
        (d, Lang::En) => format!("every {d} days"),
    }
}

/// One line on what `grade` asks of the rep under `settings`.
pub fn grade_advice(grade: Grade, settings: &WorkspaceSettings, lang: Lang) -> String {
    let who = match grade {
        Grade::S => T::WhoS,
        Grade::A => T::WhoA,
        Grade::B | Grade::C => T::WhoBC,
    };
    let sla = hours(settings.sla.hours(grade), lang);
    let cadence = every(settings.cadence.every(grade), lang);
    let mut parts = vec![
        t(lang, who).to_string(),
        format!("{} {sla}", t(lang, T::FirstContact)),
        match lang {
            Lang::Zh => format!("{}{}", t(lang, T::Every), cadence),
            Lang::En => format!("{} {}", t(lang, T::Every), cadence),
        },
    ];
    if grade == Grade::C {
        parts.push(t(lang, T::MonthlyReview).to_string());
    }
    match lang {
        Lang::Zh => format!("{} 级：{}", grade.key(), parts.join("，")),
        Lang::En => format!("{}: {}", grade.key(), parts.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_advice_follows_the_workspace_settings() {
        let mut settings = WorkspaceSettings::default();
        assert_eq!(
            grade_advice(Grade::S, &settings, Lang::Zh),
            "S 级：经理亲自跟进，首次联系时限 2 小时，跟进频率每天"
        );
        assert_eq!(
            grade_advice(Grade::C, &settings, Lang::En),
            "C: a rep follows up, first contact within 24 h, follow up weekly, re-evaluated monthly"
        );
        settings.sla.b_hours = 1.5;
        settings.cadence.every_days[2] = 3;
        assert_eq!(
            grade_advice(Grade::B, &settings, Lang::Zh),
            "B 级：销售跟进，首次联系时限 1.5 小时，跟进频率每 3 天"
        );
    }
}
