//! Outgoing e-mail, through SMTP (lettre over tokio). One small API for every kind of mail
//! Beraad sends: build a [`Mail`] and [`Mailer::send`] it. Addresses and bodies are never
//! logged; a failure is logged by its kind only.

use anyhow::Context;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Longest subject and body accepted (they are made by Beraad, never by a user directly).
pub const MAX_SUBJECT: usize = 200;
pub const MAX_BODY: usize = 16 * 1024;

/// One plain-text e-mail to one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// An SMTP connection pool to the configured server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// A mailer for `smtp_url` (see `config::MailConfig`) sending as `from`.
    pub fn new(smtp_url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .context("the SMTP URL is not valid (smtp://HOST:PORT or smtps://HOST:PORT)")?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from: Mailbox = from.parse().context("the sender address is not valid")?;
        Ok(Mailer { transport, from })
    }

    /// Sends one e-mail; an error says what kind of failure it was, without the address.
    pub async fn send(&self, mail: &Mail) -> anyhow::Result<()> {
        let to: Mailbox = mail.to.parse().map_err(|_| anyhow::anyhow!("a recipient address is not valid"))?;
        let subject: String = mail.subject.chars().take(MAX_SUBJECT).collect();
        let body: String = mail.body.chars().take(MAX_BODY).collect();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .context("the e-mail cannot be built")?;
        self.transport.send(message).await.map_err(|e| {
            let kind = if e.is_permanent() {
                "refused permanently"
            } else if e.is_transient() {
                "refused for now"
            } else if e.is_timeout() {
                "timed out"
            } else {
                "connection or protocol error"
            };
            anyhow::anyhow!("the SMTP server {kind}")
        })?;
        Ok(())
    }
}
