//! minijinja environment with the embedded templates. Templates are named `*.html`, so every
//! value is HTML-escaped unless a template says otherwise. `t("key")` looks a string up in the
//! locale catalog of the page's `lang`; a missing key fails the render (and the test suite).

use minijinja::{Environment, Error, ErrorKind, State, Value};

use crate::assets;
use crate::i18n::{self, Lang};

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Loads every embedded template. Fails on a template that does not parse.
    pub fn load() -> Result<Self, Error> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for name in assets::Templates::iter() {
            let file = assets::Templates::get(&name).expect("listed template exists");
            let source = String::from_utf8(file.data.into_owned())
                .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("{name} is not UTF-8: {e}")))?;
            env.add_template_owned(name.into_owned(), source)?;
        }
        env.add_function("t", translate);
        Ok(Self { env })
    }

    /// Renders `name` with `context`; `lang` is added to the context, and so is who is signed
    /// in ([`Viewer`], for the header on every page) where the context does not say it.
    pub fn render(&self, name: &str, lang: Lang, context: Value) -> Result<String, Error> {
        let says_who = context.get_attr("current_user").is_ok_and(|v| !v.is_undefined() && !v.is_none());
        let viewer = if says_who { None } else { VIEWER.try_with(Clone::clone).ok().flatten() };
        let ctx = match viewer {
            Some(v) => minijinja::context! {
                lang => lang.code(),
                current_user => v.current_user,
                csrf_token => v.csrf_token,
                ..context
            },
            None => minijinja::context! { lang => lang.code(), ..context },
        };
        self.env.get_template(name)?.render(ctx)
    }
}

/// Who is signed in, as every page's header shows it. The authentication middleware
/// (`auth::authenticate`) sets it for the whole request ([`with_viewer`]), so every page that
/// is rendered while answering it, error pages included, knows who is signed in.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// `CurrentUser::template_value`.
    pub current_user: Value,
    pub csrf_token: String,
}

tokio::task_local! {
    static VIEWER: Option<Viewer>;
}

/// Runs `f` (a request's handling) with `viewer` as the signed-in person of every page it renders.
pub async fn with_viewer<F: std::future::Future>(viewer: Option<Viewer>, f: F) -> F::Output {
    VIEWER.scope(viewer, f).await
}

fn translate(state: &State, key: &str) -> Result<String, Error> {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::parse)).unwrap_or_default();
    i18n::text(lang, key).map(str::to_owned).ok_or_else(|| {
        Error::new(ErrorKind::UndefinedError, format!("no text for '{key}' in {}", lang.code()))
    })
}
