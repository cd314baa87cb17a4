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
mod backup;
mod browser;
mod browser_beamer;
mod browser_guard;
mod browser_invite;
mod browser_moderation;
mod browser_polish;
mod browser_precedent;
mod browser_room;
mod browser_room_phone;
mod browser_team_practice;
mod cli;
mod connections;
mod four_eyes;
mod guard_writing;
mod health;
mod i18n;
mod limits;
mod live_session;
mod live_transport;
mod load_balancer;
mod log_fields;
mod log_secrets;
mod metrics;
mod multi_process;
mod packaging;
mod pages;
mod practice_meeting;
mod precedent_lifecycle;
mod privacy;
mod processes;
mod removal;
mod retention;
mod rhythm;
mod rhythm_mail;
mod search_relevance;
mod store_contract;
mod store_practice;
mod team_cli;
mod team_practice;
mod teams;
mod ws_client;
