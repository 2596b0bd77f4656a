//! The settings form: every number of the product rules, grouped as the admin thinks of them —
//! scoring (company size, budget, urgency, decision chain, grade thresholds), response SLAs,
//! follow-up cadence, and the rest (time zone, feedback and logging limits, loss reasons).
use super::draft::Draft;
use crate::domain::enums::{DecisionChain, Grade, LossReason};
use crate::i18n::Lang;
use leptos::prelude::*;

crate::texts! {
    Scoring: "评分规则", "Scoring rules";
    ScoringHint: "四项合计最高 100 分；每项按从高到低的档位取第一个满足的档。",
        "The four parts earn at most 100 points together; each takes the first band it meets, highest first.";
    Size: "企业规模（员工数）", "Company size (employees)";
    EmployeesAtLeast: "员工数 ≥", "Employees ≥";
    Points: "分值", "Points";
    Budget: "预算匹配度", "Budget match";
    Reference: "参考成交额（元）", "Reference deal size (CNY)";
    RatioAtLeast: "预算 ÷ 参考成交额 ≥", "Budget ÷ reference ≥";
    Positive: "低于各档但预算大于 0 的分值", "Points for any positive budget below the bands";
    Urgency: "需求紧急度", "Urgency";
    MonthsAtMost: "决策时间 ≤（月）", "Decision within (months) ≤";
    Later: "更晚决策的分值", "Points for a later decision";
    Chain: "决策链清晰度（分值）", "Decision chain (points)";
    Thresholds: "等级门槛（最低总分）", "Grade thresholds (lowest total)";
    BelowB: "低于 B 级门槛为 C 级。", "Below the B threshold is C.";
    Sla: "响应时限", "Response SLA";
    SlaHint: "从线索创建到第一次主动跟进的小时数。", "Hours from a lead's creation to its first outbound follow-up.";
    Hours: "小时", "hours";
    Cadence: "跟进节奏", "Follow-up cadence";
    EveryDays: "跟进间隔（天）", "Follow up every (days)";
    MaxInitial: "初步接洽最长天数", "Most days in initial contact";
    MaxDeepening: "需求深化最长天数", "Most days in need deepening";
    MaxComparison: "方案对比最长天数", "Most days in proposal comparison";
    MaxNegotiation: "商务谈判最长天数", "Most days in negotiation";
    Other: "其他", "Other";
    TimeZone: "时区", "Time zone";
    TimeZoneHint: "IANA 名称，例如 Asia/Shanghai", "IANA name, such as Asia/Shanghai";
    FeedbackDays: "客户确认反馈的期限（天）", "Days for a customer to confirm feedback";
    LoggingHours: "及时记录跟进的时限（小时）", "Hours within which a follow-up is logged on time";
    LifetimeYears: "客户预期生命周期（年，用于计算 CLV）", "A customer's expected lifetime (years, for the CLV)";
    LossReasons: "流失原因（移到“流失”时可选）", "Loss reasons (offered when a lead is lost)";
    Preview: "预览影响", "Preview impact";
    Publish: "发布", "Publish";
    Band: "第 {} 档", "Band {}";
    GradeLabel: "{} 级", "Grade {}";
}

/// "第 2 档 · 分值" / "Band 2 · Points".
fn band_label(lang: Lang, i: usize, what: T) -> String {
    format!("{} · {}", t(lang, T::Band).replace("{}", &(i + 1).to_string()), t(lang, what))
}

/// "S 级 · 小时" / "Grade S · hours".
fn grade_label(lang: Lang, grade: Grade, what: T) -> String {
    format!("{} · {}", t(lang, T::GradeLabel).replace("{}", grade.key()), t(lang, what))
}

/// The problems of one input, under it.
fn errors_view(draft: &Draft, lang: Lang, path: &str, id: String) -> Option<AnyView> {
    let errors = draft.errors(lang, path);
    (!errors.is_empty()).then(|| view! { <span class="field-error" id=id>{errors.join("；")}</span> }.into_any())
}

/// A number input named by its settings path (a text input, so that what was typed comes
/// back as typed and "2,000" is read). `whole`: a count (points, days).
fn number(draft: &Draft, lang: Lang, path: String, label: String, whole: bool) -> AnyView {
    let id = format!("{}-error", path.replace('.', "-"));
    let error = errors_view(draft, lang, &path, id.clone());
    let invalid = error.is_some();
    let value = draft.value(&path);
    let mode = if whole { "numeric" } else { "decimal" };
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="text" inputmode=mode autocomplete="off" name=path value=value
                aria-invalid=invalid.then_some("true") aria-describedby=invalid.then_some(id)/>
            {error}
        </label>
    }
    .into_any()
}

/// The bands of a sub-score: for each, its threshold and its points.
fn bands(draft: &Draft, lang: Lang, list: &str, key: &str, label: T, whole: bool) -> AnyView {
    (0..draft.entries(list))
        .map(|i| {
            let at = |field: &str| format!("{list}.{i}.{field}");
            view! {
                <div class="form-grid">
                    {number(draft, lang, at(key), band_label(lang, i, label), whole)}
                    {number(draft, lang, at("points"), band_label(lang, i, T::Points), true)}
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// The scoring card: the four sub-scores' bands and points, and the grade thresholds.
fn scoring(draft: &Draft, lang: Lang) -> AnyView {
    let whole_card = errors_view(draft, lang, "scoring", "scoring-error".into());
    let chain = DecisionChain::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| number(draft, lang, format!("scoring.chain_points.{i}"), c.label(lang).to_owned(), true))
        .collect_view();
    let thresholds = [(Grade::S, "scoring.grade_s"), (Grade::A, "scoring.grade_a"), (Grade::B, "scoring.grade_b")]
        .into_iter()
        .map(|(g, path)| number(draft, lang, path.to_owned(), t(lang, T::GradeLabel).replace("{}", g.key()), true))
        .collect_view();
    view! {
        <section class="card" aria-labelledby="scoring-title">
            <h2 id="scoring-title">{t(lang, T::Scoring)}</h2>
            <p class="hint">{t(lang, T::ScoringHint)}</p>
            {whole_card}
            <fieldset>
                <legend>{t(lang, T::Size)}</legend>
                {bands(draft, lang, "scoring.employee_bands", "min", T::EmployeesAtLeast, false)}
            </fieldset>
            <fieldset>
                <legend>{t(lang, T::Budget)}</legend>
                <div class="form-grid">
                    {number(draft, lang, "scoring.reference_deal_size".into(), t(lang, T::Reference).into(), false)}
                </div>
                {bands(draft, lang, "scoring.budget_bands", "min", T::RatioAtLeast, false)}
                <div class="form-grid">
                    {number(draft, lang, "scoring.budget_positive_points".into(), t(lang, T::Positive).into(), true)}
                </div>
            </fieldset>
            <fieldset>
                <legend>{t(lang, T::Urgency)}</legend>
                {bands(draft, lang, "scoring.urgency_bands", "max_months", T::MonthsAtMost, true)}
                <div class="form-grid">
                    {number(draft, lang, "scoring.urgency_later_points".into(), t(lang, T::Later).into(), true)}
                </div>
            </fieldset>
            <fieldset>
                <legend>{t(lang, T::Chain)}</legend>
                <div class="form-grid">{chain}</div>
            </fieldset>
            <fieldset>
                <legend>{t(lang, T::Thresholds)}</legend>
                <div class="form-grid">{thresholds}</div>
                <p class="hint">{t(lang, T::BelowB)}</p>
            </fieldset>
        </section>
    }
    .into_any()
}

/// The response SLA and follow-up cadence cards, side by side on a wide screen.
fn timing(draft: &Draft, lang: Lang) -> AnyView {
    let sla = Grade::ALL
        .iter()
        .map(|g| {
            let path = format!("sla.{}_hours", g.key().to_lowercase());
            number(draft, lang, path, grade_label(lang, *g, T::Hours), false)
        })
        .collect_view();
    let cadence = Grade::ALL
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let (every, initial) = (format!("cadence.every_days.{i}"), format!("cadence.max_initial_days.{i}"));
            view! {
                <div class="form-grid">
                    {number(draft, lang, every, grade_label(lang, *g, T::EveryDays), true)}
                    {number(draft, lang, initial, grade_label(lang, *g, T::MaxInitial), true)}
                    {[T::MaxDeepening, T::MaxComparison, T::MaxNegotiation]
                        .into_iter()
                        .enumerate()
                        .map(|(s, label)| number(draft, lang, format!("cadence.later_stage_days.{s}.{i}"), grade_label(lang, *g, label), true))
                        .collect_view()}
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="admin-grid">
            <section class="card" aria-labelledby="sla-title">
                <h2 id="sla-title">{t(lang, T::Sla)}</h2>
                <p class="hint">{t(lang, T::SlaHint)}</p>
                <div class="form-grid">{sla}</div>
            </section>
            <section class="card" aria-labelledby="cadence-title">
                <h2 id="cadence-title">{t(lang, T::Cadence)}</h2>
                {cadence}
            </section>
        </div>
    }
    .into_any()
}

/// The other settings: time zone, limits, and the loss reasons offered.
fn other(draft: &Draft, lang: Lang) -> AnyView {
    let zone_error = errors_view(draft, lang, "time_zone", "time_zone-error".into());
    let zone_invalid = zone_error.is_some();
    let zone_described = if zone_invalid { "time_zone-error time_zone-hint" } else { "time_zone-hint" };
    let reasons = LossReason::ALL
        .iter()
        .map(|r| {
            let key = r.key();
            view! {
                <label>
                    <input type="checkbox" name="loss_reasons" value=key checked=draft.offers(key)/>
                    {r.label(lang)}
                </label>
            }
        })
        .collect_view();
    let reason_errors = draft.reason_errors(lang);
    let reasons_invalid = !reason_errors.is_empty();
    view! {
        <section class="card" aria-labelledby="other-title">
            <h2 id="other-title">{t(lang, T::Other)}</h2>
            <div class="form-grid">
                <label class="field">
                    <span>{t(lang, T::TimeZone)}</span>
                    <input type="text" name="time_zone" value=draft.value("time_zone") autocomplete="off"
                        spellcheck="false" aria-invalid=zone_invalid.then_some("true")
                        aria-describedby=zone_described/>
                    <span class="hint" id="time_zone-hint">{t(lang, T::TimeZoneHint)}</span>
                    {zone_error}
                </label>
                {number(draft, lang, "feedback_confirm_days".into(), t(lang, T::FeedbackDays).into(), false)}
                {number(draft, lang, "timely_logging_hours".into(), t(lang, T::LoggingHours).into(), false)}
                {number(draft, lang, "customer_lifetime_years".into(), t(lang, T::LifetimeYears).into(), false)}
            </div>
            <fieldset>
                <legend>{t(lang, T::LossReasons)}</legend>
                <div class="checks">{reasons}</div>
                {reasons_invalid.then(|| view! { <p class="field-error">{reason_errors.join("；")}</p> })}
            </fieldset>
        </section>
    }
    .into_any()
}

/// The whole form; `preview` (the replay card) sits first so its buttons are at hand, and
/// "preview" comes before "publish" wherever both are, so Enter in a field only previews.
pub fn form(draft: &Draft, lang: Lang, preview: Option<AnyView>) -> AnyView {
    view! {
        <form method="post" action="/admin/settings" class="settings-form">
            {preview}
            {scoring(draft, lang)}
            {timing(draft, lang)}
            {other(draft, lang)}
            <div class="form-actions">
                <button type="submit" class="secondary" name="action" value="preview">{t(lang, T::Preview)}</button>
                <button type="submit" class="primary" name="action" value="publish">{t(lang, T::Publish)}</button>
            </div>
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::WorkspaceSettings;

    #[test]
    fn every_setting_has_an_input_named_by_its_path() {
        let draft = Draft::new(&WorkspaceSettings::default());
        let html = form(&draft, Lang::Zh, None).to_html();
        for name in [
            "scoring.grade_s",
            "scoring.employee_bands.5.min",
            "scoring.budget_bands.3.points",
            "scoring.urgency_bands.2.max_months",
            "scoring.chain_points.3",
            "scoring.reference_deal_size",
            "sla.c_hours",
            "cadence.every_days.3",
            "cadence.max_initial_days.0",
            "cadence.later_stage_days.2.3",
            "feedback_confirm_days",
            "timely_logging_hours",
            "customer_lifetime_years",
            "time_zone",
        ] {
            assert!(html.contains(&format!("name=\"{name}\"")), "no input for {name}");
        }
        assert_eq!(html.matches("name=\"loss_reasons\"").count(), LossReason::ALL.len());
        assert!(html.contains("IANA 名称，例如 Asia/Shanghai"));
        assert_eq!(band_label(Lang::En, 1, T::Points), "Band 2 · Points");
    }

    #[test]
    fn a_problem_is_shown_next_to_its_input() {
        let mut draft = Draft::new(&WorkspaceSettings::default());
        draft.read(&[("scoring.grade_b".to_owned(), "many".to_owned())]);
        let html = form(&draft, Lang::En, None).to_html();
        assert!(html.contains("id=\"scoring-grade_b-error\""));
        assert!(html.contains("aria-invalid=\"true\""));
    }
}
