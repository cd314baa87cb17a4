//! The case editor never offers "keep with a reason" for a BSN or IBAN: the server's findings
//! say `keepable: false`, and the editor explains that such a number can only be replaced.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use crate::browser::{browser, sign_in, text_of, wait_count};
use crate::harness::TestApp;

#[tokio::test]
async fn the_case_editor_offers_only_replacing_for_a_bsn_or_iban() {
    let Some(browser) = browser().await else { return };
    let c = &browser.client;
    let app = TestApp::sqlite_same_origin().await;
    let moderator = app.browser_user("moderator").await;
    sign_in(c, &app, &moderator).await;
    c.goto(&app.url("/sessions/new")).await.unwrap();
    c.find(Locator::Id("title")).await.unwrap().send_keys("Uitstel van betaling").await.unwrap();
    c.find(Locator::Id("moderator_name")).await.unwrap().send_keys("Gespreksleider").await.unwrap();
    let case = "Cliënt gaf BSN123456782 en rekening NL91-ABNA-0417-1643-00 op, en belt vanaf 06-12345678.";
    c.find(Locator::Id("case_text")).await.unwrap().send_keys(case).await.unwrap();
    c.find(Locator::Id("check")).await.unwrap().click().await.unwrap();
    wait_count(c, "#preview mark", |n| n == 3).await;

    // The phone number may be kept with a reason; the BSN and the IBAN may not.
    for kind in ["bsn", "iban"] {
        let li = format!("#findings li[data-kind={kind}]");
        assert_eq!(c.find_all(Locator::Css(&format!("{li} .keep"))).await.unwrap().len(), 0, "{kind}");
        assert_eq!(c.find_all(Locator::Css(&format!("{li} .reason"))).await.unwrap().len(), 0, "{kind}");
        assert_eq!(c.find_all(Locator::Css(&format!("{li} .replace"))).await.unwrap().len(), 1, "{kind}");
        let why = text_of(c, &format!("{li} .replace-only")).await;
        assert!(why.contains("kan niet worden aangehouden"), "{kind}: {why}");
    }
    assert_eq!(c.find_all(Locator::Css("#findings li[data-kind=phone] .keep")).await.unwrap().len(), 1);

    // Replacing both leaves only the phone number, which is then kept with a reason.
    c.find(Locator::Css("#findings li[data-kind=bsn] .replace")).await.unwrap().click().await.unwrap();
    wait_count(c, "#preview mark", |n| n == 2).await;
    c.find(Locator::Css("#findings li[data-kind=iban] .replace")).await.unwrap().click().await.unwrap();
    wait_count(c, "#preview mark", |n| n == 1).await;
    c.find(Locator::Css("#findings li .reason"))
        .await
        .unwrap()
        .send_keys("nummer van de gemeente")
        .await
        .unwrap();
    c.find(Locator::Css("#findings li .keep")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("create")).await.unwrap().click().await.unwrap();
    let started = Instant::now();
    while !c.current_url().await.unwrap().path().starts_with("/sessies/") {
        assert!(started.elapsed() < Duration::from_secs(10), "error: {}", text_of(c, "#form-error").await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
