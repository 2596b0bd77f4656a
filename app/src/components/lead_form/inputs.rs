//! The lead form's text fields: each profile field's label, and a one-line input or a text
//! area with its label and its error.
use super::state::FormState;
use crate::i18n::Lang;
use leptos::prelude::*;

crate::texts! {
    Source: "来源渠道", "Source";
    SourceDetails: "来源详情", "Source details";
    Company: "企业名称", "Company";
    Industry: "行业", "Industry";
    Region: "地区", "Region";
    Employees: "员工人数", "Employees";
    ContactName: "联系人姓名", "Contact name";
    ContactTitle: "职位", "Title";
    Phone: "电话", "Phone";
    Email: "邮箱", "Email";
    Need: "需求描述", "Need";
    PainPoints: "痛点", "Pain points";
    ExpectedSolution: "期望方案", "Expected solution";
    Budget: "预算（元）", "Budget (CNY)";
    DecisionMonths: "预计决策时间（月）", "Months to decision";
    DecisionChain: "决策链", "Decision chain";
    Strategy: "跟进策略（A/B 对比，可选）", "Strategy variant (A/B, optional)";
    Tags: "标签（用逗号分隔）", "Tags (comma separated)";
    Remarks: "备注", "Remarks";
}

/// The text labelling a profile field of the form; `None` for a name that is not one.
fn field_label(field: &str) -> Option<T> {
    Some(match field {
        "source" => T::Source,
        "source_details" => T::SourceDetails,
        "company" => T::Company,
        "industry" => T::Industry,
        "region" => T::Region,
        "employees" => T::Employees,
        "contact_name" => T::ContactName,
        "contact_title" => T::ContactTitle,
        "phone" => T::Phone,
        "email" => T::Email,
        "need" => T::Need,
        "pain_points" => T::PainPoints,
        "expected_solution" => T::ExpectedSolution,
        "budget" => T::Budget,
        "decision_months" => T::DecisionMonths,
        "decision_chain" => T::DecisionChain,
        "strategy" => T::Strategy,
        "tags" => T::Tags,
        "remarks" => T::Remarks,
        _ => return None,
    })
}

/// A field's label in `lang` (the field's own name for one without a label, which the tests
/// rule out for the form's fields).
pub fn field_name(field: &str, lang: Lang) -> &str {
    match field_label(field) {
        Some(key) => t(lang, key),
        None => crate::domain::channel::detail_label(field, lang).unwrap_or(field),
    }
}

/// A one-line input with its label and error.
#[component]
pub fn FieldInput(
    state: FormState,
    field: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] numeric: bool,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    let error_id = format!("{field}-error");
    let described = error_id.clone();
    view! {
        <label class="field" for=field>
            <span>{move || field_name(field, lang.get())}{required.then_some(" *")}</span>
            <input id=field name=field type=kind
                inputmode=if numeric { Some("numeric") } else { None }
                autocomplete="off" required=required
                aria-invalid=move || state.error_of(field, lang.get()).is_some().to_string()
                aria-describedby=described
                prop:value=move || state.form.get(field)
                on:input=move |ev| state.edited(field, event_target_value(&ev))
                on:blur=move |_| state.left(field)/>
            {move || state.error_of(field, lang.get()).map(|m| view! {
                <small class="field-error" id=error_id.clone() role="alert">{m}</small>
            })}
        </label>
    }
}

/// A text area over the full width, with its label and error.
#[component]
pub fn FieldArea(state: FormState, field: &'static str) -> impl IntoView {
    let lang = crate::ui::use_ui().lang;
    view! {
        <label class="field field-wide" for=field>
            <span>{move || field_name(field, lang.get())}</span>
            <textarea id=field name=field rows="3"
                prop:value=move || state.form.get(field)
                on:input=move |ev| state.edited(field, event_target_value(&ev))></textarea>
            {move || state.error_of(field, lang.get()).map(|m| view! { <small class="field-error" role="alert">{m}</small> })}
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lead_form::fields::FORM_FIELDS;

    #[test]
    fn every_field_of_the_form_has_a_label() {
        for field in FORM_FIELDS {
            assert_ne!(field_name(field, Lang::Zh), field, "{field}");
            assert_ne!(field_name(field, Lang::En), field, "{field}");
        }
        assert_eq!(field_name("minutes", Lang::Zh), "交流时长（分钟）");
        assert_eq!(field_name("budget", Lang::Zh), "预算（元）");
        assert_eq!(field_label("verified"), None);
    }
}
