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

    /// Renders `name` with `context`; `lang` is added to the context.
    pub fn render(&self, name: &str, lang: Lang, context: Value) -> Result<String, Error> {
        let ctx = minijinja::context! { lang => lang.code(), ..context };
        self.env.get_template(name)?.render(ctx)
    }
}

fn translate(state: &State, key: &str) -> Result<String, Error> {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::parse)).unwrap_or_default();
    i18n::text(lang, key).map(str::to_owned).ok_or_else(|| {
        Error::new(ErrorKind::UndefinedError, format!("no text for '{key}' in {}", lang.code()))
    })
}
