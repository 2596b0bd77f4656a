//! People and teams (PRODUCT.md §12 "People"): the roster of a workspace's users and sales
//! teams. An admin creates users and teams, changes a user's role, seniority, team, region,
//! industries, mentor and capacity, sets or generates a password, deactivates a leaver, hands
//! their open leads on and manages their API tokens; a manager reads their teams' rosters.
//! Every write goes through `service::people` with the same checks as the API.
mod actions;
mod fields;
mod forms;
mod list;
mod user;

use crate::ssr::state::AppState;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};

crate::texts! {
    Title: "人员与团队", "People & teams";
    IntroAdmin: "创建用户和团队，设置密码与 API 令牌，停用离职人员并转交其在跟线索。",
        "Create users and teams, set passwords and API tokens, deactivate leavers and hand their open leads on.";
    IntroManager: "你所管理团队的成员名单。", "The rosters of the teams you manage.";
    Users: "用户", "Users";
    Teams: "团队", "Teams";
    Name: "姓名", "Name";
    Key: "账号", "Key";
    KeyHint: "登录用，字母、数字、_ 或 -，创建后不能修改", "Used to sign in: letters, digits, _ or -; cannot change later";
    Role: "角色", "Role";
    Seniority: "级别", "Seniority";
    Team: "团队", "Team";
    Region: "区域", "Region";
    Industries: "擅长行业", "Industries";
    IndustriesHint: "用逗号或顿号分隔，如：制造业、金融", "Separate with commas, e.g. Manufacturing, Finance";
    Mentor: "带教导师", "Mentor";
    Capacity: "在跟 / 上限", "Open / cap";
    MaxOpen: "最多在跟线索", "Max open leads";
    MaxOpenHint: "留空表示不设上限", "Leave empty for no cap";
    Status: "状态", "Status";
    Active: "在职", "Active";
    Inactive: "已停用", "Deactivated";
    PasswordColumn: "密码", "Password";
    PasswordSet: "已设置", "Set";
    PasswordNone: "未设置", "Not set";
    InitialPassword: "初始密码（可选）", "Password (optional)";
    PasswordOptionalHint: "至少 10 个字符；留空则此人暂时不能登录",
        "At least 10 characters; leave empty and the person cannot sign in yet";
    PasswordHint: "至少 10 个字符", "At least 10 characters";
    NewUser: "新建用户", "New user";
    NewTeam: "新建团队", "New team";
    Create: "创建", "Create";
    TeamKey: "编号", "Key";
    TeamName: "名称", "Name";
    Manager: "经理", "Manager";
    Members: "人数", "Members";
    NoTeams: "还没有团队。", "No teams yet.";
    Profile: "资料", "Profile";
    ActiveBox: "在职（取消勾选即停用）", "Active (untick to deactivate)";
    Save: "保存", "Save";
    BackToList: "← 人员与团队", "← People & teams";
    PasswordCard: "密码", "Password";
    NewPassword: "新密码", "New password";
    SetPassword: "设置密码", "Set password";
    GenerateHint: "也可以生成一个随机密码：只显示一次，请通过可靠的渠道交给本人。",
        "Or generate a random password: it is shown once, so hand it to the person by a safe channel.";
    Generate: "生成一次性密码", "Generate a one-time password";
    GeneratedTitle: "新密码", "New password";
    CopyPassword: "请现在复制，此密码不会再次显示", "Copy it now: it will not be shown again";
    TokenTitle: "新 API 令牌", "New API token";
    CopyToken: "请现在复制，此令牌不会再次显示", "Copy it now: it will not be shown again";
    TokenRole: "此令牌以该用户的角色访问 API：", "This token acts in the API with the user's role: ";
    Deactivate: "停用", "Deactivate";
    DeactivateHint: "立即生效：此人不能再登录，其 API 令牌和已登录的会话全部失效。在跟线索仍在其名下，直到你转交。",
        "Takes effect at once: the person can no longer sign in, and their API tokens and sessions stop working. \
         Their open leads stay theirs until you hand them on.";
    DeactivateButton: "停用此用户", "Deactivate this user";
    Reassign: "转交在跟线索", "Hand on open leads";
    OpenLeads: "此人名下有 {n} 条在跟线索。", "{n} open leads are in this person's name.";
    ReassignTo: "转交给", "Hand on to";
    ByRules: "按分配规则", "By the assignment rules";
    ReassignButton: "转交", "Hand on";
    Tokens: "API 令牌", "API tokens";
    Label: "名称", "Label";
    Created: "创建时间", "Created";
    TokenState: "状态", "State";
    Revoke: "撤销", "Revoke";
    Revoked: "已撤销", "Revoked";
    NoTokens: "还没有令牌。", "No tokens yet.";
    NewToken: "创建令牌", "Create token";
    UserCreated: "已创建用户 {name}", "User {name} created";
    TeamCreated: "已创建团队 {name}", "Team {name} created";
    Saved: "已保存", "Saved";
    PasswordDone: "密码已设置", "Password set";
    Deactivated: "{name} 已停用，其登录、令牌和会话已失效", "{name} is deactivated: sign-in, tokens and sessions have ended";
    Reassigned: "已转交 {n} 条线索", "{n} leads handed on";
    ReassignedOne: "已转交 1 条线索", "1 lead handed on";
    TokenRevoked: "令牌已撤销", "Token revoked";
    NotEditable: "不能这样修改", "Cannot be changed this way";
    NotYourself: "不能停用你自己，也不能取消你自己的管理员角色", "You cannot deactivate or demote yourself";
    PasswordShort: "至少需要 10 个字符", "Needs at least 10 characters";
    KeyInvalid: "只能用字母、数字、_ 和 -，最多 40 个", "Only letters, digits, _ and -, at most 40";
}

/// Every route of the people pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/people", get(actions::show_roster).post(actions::create_user))
        .route("/admin/teams", post(actions::create_team))
        .route("/admin/people/{key}", get(actions::show_user).post(actions::edit_user))
        .route("/admin/people/{key}/password", post(actions::set_password))
        .route("/admin/people/{key}/deactivate", post(actions::deactivate))
        .route("/admin/people/{key}/reassign", post(actions::reassign))
        .route("/admin/people/{key}/tokens", post(actions::create_token))
        .route("/admin/people/{key}/tokens/{id}/revoke", post(actions::revoke_token))
}

/// The page of one user.
fn user_path(key: &str) -> String {
    format!("/admin/people/{}", crate::ui::encode(key))
}

/// `path` carrying a notice to show once on the next page.
fn done_at(path: &str, text: &str) -> String {
    format!("{path}?done={}", crate::ui::encode(text))
}

/// A moment in the workspace time zone, to the minute: `2026-03-01 10:30`.
fn when(at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// How many leads were handed on, in the reader's language.
fn handed_on(lang: crate::i18n::Lang, n: usize) -> String {
    if n == 1 {
        t(lang, T::ReassignedOne).to_string()
    } else {
        t(lang, T::Reassigned).replace("{n}", &n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use chrono::TimeZone;

    #[test]
    fn token_dates_show_in_the_workspace_time_zone() {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 2, 30, 0).unwrap();
        assert_eq!(when(at, chrono_tz::Asia::Shanghai), "2026-03-01 10:30");
        assert_eq!(when(at, chrono_tz::America::New_York), "2026-02-28 21:30");
    }

    #[test]
    fn notices_travel_url_encoded_and_count_leads_in_either_language() {
        assert_eq!(done_at("/admin/people/r41", "已保存"), "/admin/people/r41?done=%E5%B7%B2%E4%BF%9D%E5%AD%98");
        assert_eq!(handed_on(Lang::Zh, 12), "已转交 12 条线索");
        assert_eq!(handed_on(Lang::En, 12), "12 leads handed on");
        assert_eq!(handed_on(Lang::En, 1), "1 lead handed on");
    }
}
