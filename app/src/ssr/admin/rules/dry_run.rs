//! The dry run of assignment rules being edited: who would have received each of the last 100
//! leads under these rules, beside who has it now, and by which rule — nothing is written.
use super::view::rule_title;
use crate::i18n::Lang;
use crate::ssr::admin::widgets::grade_chip;
use crate::ssr::service::settings::DryRunRow;
use leptos::prelude::*;

crate::texts! {
    Title: "试运行结果", "Dry run";
    Explain: "按今天的销售、在跟线索数和上面的规则，把最近的线索依次重新分配一遍；没有保存，也没有改动任何线索。",
        "The latest leads assigned again in order, with today's reps and loads and the rules above; \
         nothing was saved or changed.";
    Lead: "线索编号", "Lead";
    Company: "企业", "Company";
    Grade: "等级", "Grade";
    OwnerNow: "现在负责人", "Owner now";
    OwnerThen: "按这些规则", "Under these rules";
    ByRule: "规则", "Rule";
    Default: "默认规则", "Default rules";
    Nobody: "无人可分", "Nobody eligible";
    Changed: "换人", "Changes";
    NoLeads: "还没有线索可以试运行。", "There are no leads to try the rules on yet.";
}

/// "N 条线索会换人（共 M 条）" / "N of M leads would change owner".
pub fn summary(lang: Lang, rows: &[DryRunRow]) -> String {
    let changed = rows.iter().filter(|r| r.owner_now != r.owner_then).count();
    match lang {
        Lang::Zh => format!("{changed} 条线索会换人（共 {} 条）", rows.len()),
        Lang::En => format!("{changed} of {} leads would change owner", rows.len()),
    }
}

/// Which rule placed a lead: "规则 2 · 华南", or the default rules.
pub fn placed_by(lang: Lang, rule: Option<usize>, names: &[String]) -> String {
    match rule {
        Some(i) => rule_title(lang, i, names.get(i).map_or("", String::as_str)),
        None => t(lang, T::Default).to_owned(),
    }
}

/// The dry run's card: the summary and one row per lead. `names` are the rules' names, in
/// the order the dry run used them.
pub fn results(lang: Lang, rows: &[DryRunRow], names: &[String]) -> AnyView {
    if rows.is_empty() {
        return view! {
            <section class="card" aria-labelledby="dry-run-title">
                <h2 id="dry-run-title">{t(lang, T::Title)}</h2>
                <p class="hint" role="status">{t(lang, T::NoLeads)}</p>
            </section>
        }
        .into_any();
    }
    let body = rows
        .iter()
        .map(|r| {
            let changed = r.owner_now != r.owner_then;
            let now = r.owner_now.clone().unwrap_or_else(|| "—".to_owned());
            let then = r.owner_then.clone().unwrap_or_else(|| t(lang, T::Nobody).to_owned());
            view! {
                <tr class:changed=changed>
                    <td><a href=format!("/leads/{}", crate::ui::encode(&r.code))>{r.code.clone()}</a></td>
                    <td class="wrap">{r.company.clone()}</td>
                    <td>{grade_chip(r.grade)}</td>
                    <td>{now}</td>
                    <td>
                        {then}
                        {changed.then(|| view! { " "<span class="pill warn">{t(lang, T::Changed)}</span> })}
                    </td>
                    <td>{placed_by(lang, r.rule, names)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="dry-run-title">
            <h2 id="dry-run-title">{t(lang, T::Title)}</h2>
            <p role="status"><strong>{summary(lang, rows)}</strong></p>
            <p class="hint">{t(lang, T::Explain)}</p>
            <div class="lead-table-wrap">
                <table class="lead-table">
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, T::Lead)}</th>
                            <th scope="col">{t(lang, T::Company)}</th>
                            <th scope="col">{t(lang, T::Grade)}</th>
                            <th scope="col">{t(lang, T::OwnerNow)}</th>
                            <th scope="col">{t(lang, T::OwnerThen)}</th>
                            <th scope="col">{t(lang, T::ByRule)}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::Grade;

    fn row(now: Option<&str>, then: Option<&str>, rule: Option<usize>) -> DryRunRow {
        DryRunRow {
            code: "LX-1".into(),
            company: "华南精工".into(),
            grade: Grade::A,
            owner_now: now.map(str::to_owned),
            owner_then: then.map(str::to_owned),
            rule,
        }
    }

    #[test]
    fn the_summary_counts_the_leads_whose_owner_would_change() {
        let rows = [
            row(Some("王芳"), Some("王芳"), None),
            row(Some("王芳"), Some("李雷"), Some(1)),
            row(None, Some("李雷"), None),
        ];
        assert_eq!(summary(Lang::Zh, &rows), "2 条线索会换人（共 3 条）");
        assert_eq!(summary(Lang::En, &rows), "2 of 3 leads would change owner");
    }

    #[test]
    fn a_lead_is_said_to_be_placed_by_its_numbered_rule_or_the_default_rules() {
        let names = vec!["大客户".to_owned(), "华南".to_owned()];
        assert_eq!(placed_by(Lang::Zh, Some(1), &names), "规则 2 · 华南");
        assert_eq!(placed_by(Lang::En, Some(0), &["".to_owned()]), "Rule 1");
        assert_eq!(placed_by(Lang::Zh, None, &names), "默认规则");
        let html = results(Lang::Zh, &[row(Some("王芳"), Some("李雷"), Some(1))], &names).to_html();
        assert!(html.contains("href=\"/leads/LX-1\"") && html.contains("换人"));
    }
}
