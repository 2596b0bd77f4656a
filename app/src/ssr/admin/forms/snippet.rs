//! The code an admin copies onto the company website so its visitors' enquiries arrive as
//! web-form leads: a plain HTML form that works without scripts (the visitor comes back to
//! the site's thank-you page), and the same form sent with `fetch` as JSON for sites that
//! prefer scripts. Both carry the page the visitor was on and the hidden honeypot field
//! robots fill in.
use crate::domain::intake::HONEYPOT;
use crate::i18n::Lang;

/// The words of the form in the website visitor's language.
struct Words {
    company: &'static str,
    name: &'static str,
    phone: &'static str,
    email: &'static str,
    need: &'static str,
    submit: &'static str,
    thanks: &'static str,
    busy: &'static str,
    check: &'static str,
    offline: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Zh => Words {
            company: "公司名称",
            name: "联系人",
            phone: "电话",
            email: "邮箱",
            need: "需求",
            submit: "提交",
            thanks: "谢谢！我们会尽快与您联系。",
            busy: "提交太频繁，请稍后再试。",
            check: "提交没有成功，请填写公司名称，以及电话或邮箱。",
            offline: "网络出了问题，请稍后再试。",
        },
        Lang::En => Words {
            company: "Company",
            name: "Your name",
            phone: "Phone",
            email: "Email",
            need: "What do you need?",
            submit: "Submit",
            thanks: "Thank you! We will be in touch shortly.",
            busy: "Too many submissions; please try again in a minute.",
            check: "Not sent: please give your company and a phone number or email address.",
            offline: "The network failed; please try again later.",
        },
    }
}

/// Where a website posts to the form `key`, on Genjin at `origin`.
pub fn action(origin: &str, key: &str) -> String {
    format!("{}/api/v1/intake/{key}", origin.trim_end_matches('/'))
}

/// The labelled inputs both forms share, and the honeypot hidden from people.
fn inputs(w: &Words) -> String {
    format!(
        concat!(
            "  <label>{company} <input name=\"company\" autocomplete=\"organization\"></label>\n",
            "  <label>{name} <input name=\"contact_name\" autocomplete=\"name\"></label>\n",
            "  <label>{phone} <input name=\"phone\" type=\"tel\" autocomplete=\"tel\"></label>\n",
            "  <label>{email} <input name=\"email\" type=\"email\" autocomplete=\"email\"></label>\n",
            "  <label>{need} <textarea name=\"need\" rows=\"3\"></textarea></label>\n",
            "  <div style=\"position:absolute;left:-10000px\" aria-hidden=\"true\">\n",
            "    <input name=\"{honeypot}\" tabindex=\"-1\" autocomplete=\"off\">\n",
            "  </div>\n",
        ),
        company = w.company,
        name = w.name,
        phone = w.phone,
        email = w.email,
        need = w.need,
        honeypot = HONEYPOT,
    )
}

/// The HTML form: posts without scripts and sends the visitor on to `thanks` (a page of the
/// website, which must be one of the form's allowed origins); one inline line records the
/// page the visitor was on.
pub fn html_form(lang: Lang, origin: &str, key: &str, thanks: &str) -> String {
    let w = words(lang);
    format!(
        concat!(
            "<form method=\"post\" action=\"{action}\">\n",
            "{inputs}",
            "  <input type=\"hidden\" name=\"page\" id=\"genjin-page\">\n",
            "  <script>document.getElementById(\"genjin-page\").value = location.href;</script>\n",
            "  <input type=\"hidden\" name=\"_next\" value=\"{thanks}\">\n",
            "  <button type=\"submit\">{submit}</button>\n",
            "</form>\n",
        ),
        action = action(origin, key),
        inputs = inputs(&w),
        thanks = thanks,
        submit = w.submit,
    )
}

/// The same form sent by a script as JSON, answering the visitor on the page itself.
pub fn script_form(lang: Lang, origin: &str, key: &str) -> String {
    let w = words(lang);
    let script = r#"<script>
document.getElementById("genjin-form").addEventListener("submit", async function (event) {
  event.preventDefault();
  var form = event.target;
  var status = document.getElementById("genjin-form-status");
  var data = Object.fromEntries(new FormData(form));
  data.page = location.href;
  try {
    var response = await fetch("@ACTION@", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(data)
    });
    if (response.ok) {
      form.reset();
      status.textContent = "@THANKS@";
    } else if (response.status === 429) {
      status.textContent = "@BUSY@";
    } else {
      status.textContent = "@CHECK@";
    }
  } catch (error) {
    status.textContent = "@OFFLINE@";
  }
});
</script>
"#
    .replace("@ACTION@", &action(origin, key))
    .replace("@THANKS@", w.thanks)
    .replace("@BUSY@", w.busy)
    .replace("@CHECK@", w.check)
    .replace("@OFFLINE@", w.offline);
    format!(
        concat!(
            "<form id=\"genjin-form\">\n",
            "{inputs}",
            "  <button type=\"submit\">{submit}</button>\n",
            "  <p id=\"genjin-form-status\" role=\"status\"></p>\n",
            "</form>\n",
            "{script}",
        ),
        inputs = inputs(&w),
        submit = w.submit,
        script = script,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::intake::POSTED_FIELDS;

    /// The `name="…"` attributes of a snippet.
    fn names(snippet: &str) -> Vec<&str> {
        snippet.split("name=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect()
    }

    #[test]
    fn the_html_form_posts_to_the_intake_address_and_returns_to_the_thank_you_page() {
        let html = html_form(Lang::Zh, "https://crm.example.cn/", "fabc123", "https://www.example.com/thanks");
        assert!(html.starts_with("<form method=\"post\" action=\"https://crm.example.cn/api/v1/intake/fabc123\">"));
        assert!(html.contains("name=\"_next\" value=\"https://www.example.com/thanks\""));
        assert!(html.contains("location.href"));
        assert!(html.contains("<button type=\"submit\">提交</button>"));
        assert!(html.contains("aria-hidden=\"true\"") && html.contains("tabindex=\"-1\""));
    }

    #[test]
    fn every_field_the_snippets_send_is_one_the_intake_takes() {
        let origin = "http://localhost:3000";
        for snippet in [html_form(Lang::En, origin, "f1", "https://a.cn/thanks"), script_form(Lang::Zh, origin, "f1")] {
            let names = names(&snippet);
            for field in ["company", "contact_name", "phone", "email", "need", HONEYPOT] {
                assert!(names.contains(&field), "{field} in {snippet}");
            }
            for name in names {
                let known = POSTED_FIELDS.iter().any(|(posted, _)| *posted == name);
                assert!(known || name == HONEYPOT || name == "_next", "{name}");
            }
        }
    }

    #[test]
    fn the_script_form_sends_json_to_the_intake_address() {
        let script = script_form(Lang::En, "https://crm.example.cn", "fabc123");
        assert!(script.contains("fetch(\"https://crm.example.cn/api/v1/intake/fabc123\""));
        assert!(script.contains("JSON.stringify(data)") && script.contains("\"Content-Type\": \"application/json\""));
        assert!(script.contains("data.page = location.href"));
        assert!(!script.contains('@'), "every placeholder is filled: {script}");
    }
}
