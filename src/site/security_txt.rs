//! `/.well-known/security.txt` per RFC 9116.

use chrono::Duration;

use super::public::PublicView;

/// The file's text. `Expires` is the build date plus the company's
/// `security_txt_lifetime_days` (default 365), at midnight UTC.
pub fn render(view: &PublicView, base_url: &str) -> String {
    let company = &view.company;
    let contact = if company.security_contact.contains('@')
        && !company.security_contact.starts_with("http")
    {
        format!("mailto:{}", company.security_contact)
    } else {
        company.security_contact.clone()
    };
    let expires = view.build_date + Duration::days(company.security_txt_lifetime_days.max(1));
    let mut out = String::new();
    out.push_str(&format!(
        "# Security contact for {}\n",
        one_line(&company.name)
    ));
    out.push_str(&format!("Contact: {}\n", one_line(&contact)));
    out.push_str(&format!("Expires: {expires}T00:00:00Z\n"));
    if let Some(policy) = &company.vulnerability_policy_url {
        out.push_str(&format!("Policy: {}\n", one_line(policy)));
    }
    out.push_str(&format!(
        "Canonical: {}/.well-known/security.txt\n",
        base_url.trim_end_matches('/')
    ));
    let languages = company.preferred_languages.as_deref().unwrap_or("en");
    out.push_str(&format!("Preferred-Languages: {}\n", one_line(languages)));
    out
}

/// A field value can never start a new field.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
