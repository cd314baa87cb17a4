//! The worked example of docs/api.md, run as written: the first `sh` block after "## Worked
//! example" is read out of the file, its `curl` lines sent (same methods, paths and bodies) to
//! a real server with a token made at /beheer with the block's `# scopes:`, its `jq` filters
//! evaluated, and every answer must be a success. The doc cannot drift from the server silently.
//!
//! The block may use: `NAME=value`, `NAME=$(curl … | jq FILTER)`, `curl -s [-X M] [-H h]… [-d
//! body] URL`, shell quoting ('…', "…" with \" and $NAME) and the filters `.field` and
//! `.[] | select(.field=="text") | .field`.

use std::collections::HashMap;

use serde_json::Value;

use crate::admin_api::make_token;
use crate::harness::on_both_backends;

/// The first `sh` block after `## Worked example`.
fn worked_example() -> String {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/api.md")).unwrap();
    let section = &doc[doc.find("## Worked example").expect("docs/api.md has a worked example")..];
    let start = section.find("```sh\n").expect("an sh block") + 6;
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_owned()
}

/// Shell words of `line`, with `$NAME` expanded from `vars` (not inside single quotes).
fn words(line: &str, vars: &HashMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    let expand = |chars: &mut std::iter::Peekable<std::str::Chars>| {
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                chars.next();
            } else {
                break;
            }
        }
        vars.get(&name).unwrap_or_else(|| panic!("${name} is not set in the example")).clone()
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    out.push(w);
                }
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    w.push(c);
                }
            }
            '"' => {
                word.get_or_insert_with(String::new);
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => word.as_mut().unwrap().push(chars.next().unwrap()),
                        '$' => {
                            let v = expand(&mut chars);
                            word.as_mut().unwrap().push_str(&v);
                        }
                        c => word.as_mut().unwrap().push(c),
                    }
                }
            }
            '$' => {
                let v = expand(&mut chars);
                word.get_or_insert_with(String::new).push_str(&v);
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word);
    out
}

/// `.field`, or `.[] | select(.field=="text") | .field`.
fn jq(filter: &str, answer: &Value) -> Value {
    let filter = filter.trim();
    if let Some(field) =
        filter.strip_prefix('.').filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return answer[field].clone();
    }
    let parts: Vec<&str> = filter.split('|').map(str::trim).collect();
    assert_eq!(parts.len(), 3, "unknown jq filter {filter}");
    assert_eq!(parts[0], ".[]");
    let cond = parts[1]
        .strip_prefix("select(.")
        .and_then(|c| c.strip_suffix(')'))
        .expect("select(.field==\"text\")");
    let (field, wanted) = cond.split_once("==").unwrap();
    let wanted: Value = serde_json::from_str(wanted).unwrap();
    let item = answer
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i[field] == wanted)
        .unwrap_or_else(|| panic!("{filter}: nothing in {answer}"));
    item[parts[2].strip_prefix('.').unwrap()].clone()
}

/// Sends one `curl` command line; the answer, which must be a success.
async fn curl(http: &reqwest::Client, args: &[String]) -> Value {
    assert_eq!(args[0], "curl");
    let (mut method, mut headers, mut body, mut url) = (None, Vec::new(), None, None);
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "-s" => {}
            "-X" => {
                i += 1;
                method = Some(args[i].clone());
            }
            "-H" => {
                i += 1;
                headers.push(args[i].clone());
            }
            "-d" => {
                i += 1;
                body = Some(args[i].clone());
            }
            a if a.starts_with("http") => url = Some(a.to_owned()),
            a => panic!("curl option {a} is not understood by this test"),
        }
        i += 1;
    }
    let method = method.unwrap_or_else(|| if body.is_some() { "POST".into() } else { "GET".into() });
    let url = url.expect("a URL");
    let mut req = http.request(method.parse().unwrap(), &url);
    for h in &headers {
        let (name, value) = h.split_once(':').unwrap();
        req = req.header(name.trim(), value.trim());
    }
    if let Some(body) = body {
        req = req.body(body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{method} {url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

on_both_backends! {
    async fn the_worked_example_of_the_api_doc_runs_as_written(app) {
        let admin = app.user("admin").await;
        let ada = app.user_in("member", "Team A").await;
        let bram = app.user_in("member", "Team A").await;
        let block = worked_example();
        let scopes: Vec<&str> = block
            .lines()
            .find_map(|l| l.strip_prefix("# scopes:"))
            .expect("the block names its token's scopes")
            .split_whitespace()
            .collect();
        let (token, _) = make_token(&app, &admin, "HR-koppeling", &scopes).await;
        // Our own people for the example's addresses.
        let block = block
            .replace("ada@gemeente.nl", &ada.email)
            .replace("bram@gemeente.nl", &bram.email)
            .replace("beheer@gemeente.nl", &admin.email);
        let http = reqwest::Client::new();
        let mut vars: HashMap<String, String> = HashMap::new();
        let mut answers = Vec::new();
        for line in block.replace("\\\n", " ").lines() {
            let line = line.split(" # ").next().unwrap().trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((name, value)) = line.split_once('=').filter(|(n, _)| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
                let value = match name {
                    "BERAAD" => app.url(""),
                    "TOKEN" => token.clone(),
                    _ => match value.strip_prefix("$(").and_then(|v| v.strip_suffix(')')) {
                        Some(command) => {
                            let (command, filter) = command.split_once("| jq").expect("a command's answer goes through jq");
                            let answer = curl(&http, &words(command, &vars)).await;
                            let filter = words(filter, &vars).join(" ");
                            let found = jq(&filter, &answer);
                            answers.push(answer);
                            match found {
                                Value::String(s) => s,
                                v => v.to_string(),
                            }
                        }
                        None => words(value, &vars).join(" "),
                    },
                };
                vars.insert(name.to_owned(), value.trim_end_matches('/').to_owned());
                continue;
            }
            answers.push(curl(&http, &words(line, &vars)).await);
        }
        // It did what it says: the team, its members, the moderator, and the session.
        let team: i64 = vars["TEAM"].parse().unwrap();
        let members = app.store().team_members(team).await.unwrap();
        let mut ids: Vec<i64> = members.iter().map(|m| m.user_id).collect();
        ids.sort();
        let mut want = vec![ada.id, bram.id, admin.id];
        want.sort();
        assert_eq!(ids, want);
        let session = answers.last().unwrap();
        assert!(session["session_id"].is_string() && session["invite_code"].is_string(), "{session}");
        assert_eq!(app.store().user(bram.id).await.unwrap().unwrap().role.as_str(), "moderator");
    }
}
