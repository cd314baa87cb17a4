//! `/healthz` and `/readyz`.

use crate::harness::on_both_backends;

on_both_backends! {
    async fn ready_when_the_database_answers(app) {
        let health = app.get("/healthz").await;
        assert_eq!(health.status(), 200);
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), 200);
        let body: serde_json::Value = ready.json().await.unwrap();
        assert_eq!(body["status"], "ready");
        assert_eq!(body["database"], app.database.backend_name());
    }

    async fn not_ready_when_the_database_is_gone(app) {
        // Close the pool under the running server: the process lives, the database does not answer.
        app.store().close().await;
        assert_eq!(app.get("/healthz").await.status(), 200);
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), 503);
        let body: serde_json::Value = ready.json().await.unwrap();
        assert_eq!(body["status"], "unavailable");
    }
}
