//! Black-box tests: the real router on 127.0.0.1:0 with a fresh database per test, on SQLite
//! always and on PostgreSQL when `BERAAD_TEST_POSTGRES_URL` is set. One test binary with
//! modules, so it links once.

mod harness;

mod accessibility;
mod accounts;
mod accounts_cli;
mod api;
mod archive;
mod archive_pages;
mod authz;
mod browser;
mod browser_room;
mod cli;
mod connections;
mod health;
mod i18n;
mod live_session;
mod log_secrets;
mod pages;
mod precedent_lifecycle;
mod privacy;
mod processes;
mod search_relevance;
mod store_contract;
mod teams;
mod ws_client;
