//! `beraad team <ID>` (the real binary, on the database of a running test server): the team's
//! next meetings with moderator, case bringer and the case picked for one, and its open
//! actions with the overdue one marked; an unknown team is one clear line.

use serde_json::json;

use crate::cli::{assert_one_line_error, beraad, url_of};
use crate::harness::TestApp;
use crate::practice_meeting::{meetings, propose};
use crate::rhythm::{put_schedule, weekly_slot};

#[tokio::test]
async fn a_team_s_meetings_and_open_actions_on_the_command_line() {
    let app = TestApp::sqlite().await;
    let moderator = app.user("moderator").await;
    let member = app.user("member").await;
    let team = moderator.team_id;
    assert_eq!(put_schedule(&app, &moderator, &weekly_slot(2)).await.status(), 200);
    let list = meetings(&app, &moderator).await;
    let proposal = propose(&app, &member, "Verlaging na ziekmelding").await;
    let pick = format!("/api/v1/teams/{team}/queue/{proposal}/pick");
    let res =
        moderator.http.post(app.url(&pick)).json(&json!({"meeting": list[0]["date"]})).send().await.unwrap();
    assert_eq!(res.status(), 201);
    crate::team_practice::hold_session(
        &app,
        &moderator,
        json!([
            {"what": "Beleidsregel navragen", "who": "Iemand", "when": "2099-01-10"},
            {"what": "Cliënt terugbellen", "who": "Iemand", "when": "2026-01-05"},
        ]),
    )
    .await;

    let url = url_of(&app.database);
    let out = beraad(&["team", &team.to_string(), "--meetings", "2", "--database-url", &url]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let name = |v: &serde_json::Value| v["name"].as_str().unwrap().to_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Team A (team "), "{text}");
    let first = format!(
        "  {}  moderator: {}  case bringer: {}  case ready: Verlaging na ziekmelding",
        list[0]["start"].as_str().unwrap(),
        name(&list[0]["moderator"]),
        name(&list[0]["case_bringer"])
    );
    assert!(lines.contains(&first.as_str()), "{first}\n{text}");
    let second = format!("  {}  moderator: ", list[1]["start"].as_str().unwrap());
    assert!(lines.iter().any(|l| l.starts_with(&second) && !l.contains("case ready")), "{text}");
    assert_eq!(lines.iter().filter(|l| l.contains("moderator: ")).count(), 2, "{text}");
    assert!(lines.contains(&"Open actions (2):"), "{text}");
    assert!(lines.contains(&"  2026-01-05  Cliënt terugbellen — Iemand  OVERDUE"), "{text}");
    assert!(lines.contains(&"  2099-01-10  Beleidsregel navragen — Iemand"), "{text}");
    assert!(!text.contains("meldde zich"), "no case content");

    let out = beraad(&["team", "999", "--database-url", &url]);
    assert_one_line_error(&out, "no team has id 999");
}
