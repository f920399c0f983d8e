//! Setup, sign-in and sign-out, settings (password, API tokens), accepting an invitation.

use super::{Chrome, Form, ok, render};
use crate::app::accounts::{NewAdmin, NewToken};
use crate::app::{App, AppError};
use crate::domain::Invalid;
use crate::domain::person::ApiToken;
use crate::web::auth::{ClientAddr, CurrentUser, MaybeUser, clear_session_cookie, safe_next, session_cookie};
use crate::web::error::PageError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

fn signed_in_redirect(app: &App, token: &str, to: &str) -> Response {
    (session_cookie(app, token), Redirect::to(to)).into_response()
}

/// `/`: setup on a new instance, otherwise the signed-in person's 1:1s.
pub async fn home(State(app): State<App>, MaybeUser(user): MaybeUser) -> PageResult {
    if app.needs_setup().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(match user {
        Some(_) => Redirect::to("/meetings").into_response(),
        None => Redirect::to("/sign-in").into_response(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetupForm {
    name: String,
    email: String,
    title: String,
    timezone: String,
    password: String,
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    c: Chrome,
    f: SetupForm,
    errors: Invalid,
}

pub async fn setup_page(State(app): State<App>) -> PageResult {
    if !app.needs_setup().await? {
        return Ok(Redirect::to("/sign-in").into_response());
    }
    Ok(ok(&SetupPage { c: Chrome::bare("Set up"), f: SetupForm::default(), errors: Invalid::default() }))
}

pub async fn setup_submit(State(app): State<App>, Form(f): Form<SetupForm>) -> PageResult {
    let input = NewAdmin {
        name: f.name.clone(),
        email: f.email.clone(),
        password: f.password.clone(),
        timezone: f.timezone.clone(),
        title: f.title.clone(),
    };
    match app.create_first_admin(input).await {
        Ok(person) => {
            let session = app.sign_in(&person.email, &f.password).await?;
            Ok(signed_in_redirect(&app, &session.token, &format!("/people/{}", person.id)))
        }
        Err(AppError::Invalid(errors)) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupPage { c: Chrome::bare("Set up"), f: SetupForm { password: String::new(), ..f }, errors },
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    c: Chrome,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn sign_in_page(State(app): State<App>, MaybeUser(user): MaybeUser, Query(q): Query<NextQuery>) -> PageResult {
    if user.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    if app.needs_setup().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(ok(&SignInPage { c: Chrome::bare("Sign in"), email: String::new(), next: safe_next(q.next.as_deref()), error: None }))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn sign_in_submit(State(app): State<App>, ClientAddr(client): ClientAddr, Form(f): Form<SignInForm>) -> PageResult {
    let next = safe_next(f.next.as_deref());
    let again = |status, error: String| {
        render(status, &SignInPage { c: Chrome::bare("Sign in"), email: f.email.clone(), next: next.clone(), error: Some(error) })
    };
    match app.sign_in_from(&f.email, &f.password, client).await {
        Ok(session) => Ok(signed_in_redirect(&app, &session.token, &next)),
        Err(AppError::Invalid(i)) => {
            Ok(again(StatusCode::UNPROCESSABLE_ENTITY, i.0.first().map(|e| e.message.clone()).unwrap_or_default()))
        }
        Err(AppError::Throttled { retry_after_secs }) => Ok(again(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed attempts for this account or from this network. For your safety, try again in {} minutes.",
                retry_after_secs.div_ceil(60)
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn sign_out(State(app): State<App>, MaybeUser(user): MaybeUser) -> PageResult {
    if let Some(token) = user.as_ref().and_then(|u| u.session_token()) {
        app.sign_out(token).await?;
    }
    Ok((clear_session_cookie(), Redirect::to("/sign-in")).into_response())
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    c: Chrome,
    email: String,
    notice: Option<String>,
    errors: Invalid,
    tokens: Vec<ApiToken>,
    new_token: Option<NewToken>,
    token_name: String,
    /// The person's focus hours in words, if they set them.
    focus: Option<String>,
    words: super::time::Words,
}

async fn settings(
    app: &App,
    user: &CurrentUser,
    status: StatusCode,
    notice: Option<String>,
    errors: Invalid,
    new_token: Option<NewToken>,
    token_name: String,
) -> PageResult {
    let tokens = app.list_tokens(user.person()).await?;
    let focus = app.focus_hours(user.person(), user.person()).await?.map(|f| f.label());
    Ok(render(
        status,
        &SettingsPage {
            c: Chrome::for_user(&user.0, "Settings", "settings"),
            email: user.person().email.clone(),
            notice,
            errors,
            tokens,
            new_token,
            token_name,
            focus,
            words: super::time::Words::for_reader(user.person(), app.clock.now()),
        },
    ))
}

pub async fn settings_page(State(app): State<App>, user: CurrentUser) -> PageResult {
    settings(&app, &user, StatusCode::OK, None, Invalid::default(), None, String::new()).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// What a password change does, in the page's words (the settings page says it before too).
pub const PASSWORD_CHANGED: &str = "Your password is changed. Your other sessions were signed out; this one stays. \
    Your API tokens keep working: to end them too, use \u{201c}Sign out everywhere\u{201d}.";

pub async fn change_password(
    State(app): State<App>,
    user: CurrentUser,
    ClientAddr(client): ClientAddr,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    match app.change_password_from(user.person(), &f.current_password, &f.new_password, user.0.session_token(), client).await {
        Ok(()) => settings(&app, &user, StatusCode::OK, Some(PASSWORD_CHANGED.into()), Invalid::default(), None, String::new()).await,
        Err(AppError::Invalid(errors)) => settings(&app, &user, StatusCode::UNPROCESSABLE_ENTITY, None, errors, None, String::new()).await,
        Err(AppError::Throttled { retry_after_secs }) => {
            let why = format!("Too many wrong passwords. For your safety, try again in {} minutes.", retry_after_secs.div_ceil(60));
            settings(&app, &user, StatusCode::TOO_MANY_REQUESTS, None, Invalid::one("current_password", why), None, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Ends every session of the person (this one too) and revokes all their API tokens.
pub async fn sign_out_everywhere(State(app): State<App>, user: CurrentUser) -> PageResult {
    app.sign_out_everywhere(user.person()).await?;
    Ok((clear_session_cookie(), Redirect::to("/sign-in")).into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token_name: String,
}

pub async fn create_token(State(app): State<App>, user: CurrentUser, Form(f): Form<TokenForm>) -> PageResult {
    match app.create_token(user.person(), &f.token_name).await {
        Ok(t) => settings(&app, &user, StatusCode::OK, None, Invalid::default(), Some(t), String::new()).await,
        Err(AppError::Invalid(errors)) => settings(&app, &user, StatusCode::UNPROCESSABLE_ENTITY, None, errors, None, f.token_name).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(State(app): State<App>, user: CurrentUser, Path(id): Path<Uuid>) -> PageResult {
    app.revoke_token(user.person(), id).await?;
    Ok(Redirect::to("/settings").into_response())
}

#[derive(Template)]
#[template(path = "accept_invite.html")]
struct AcceptPage {
    c: Chrome,
    token: String,
    name: String,
    email: String,
    errors: Invalid,
}

pub async fn invitation_page(State(app): State<App>, Path(token): Path<String>) -> PageResult {
    match app.invitation(&token).await {
        Ok(p) => Ok(ok(&AcceptPage { c: Chrome::bare("Welcome"), token, name: p.name, email: p.email, errors: Invalid::default() })),
        Err(AppError::Invalid(i)) => Ok(crate::web::error::error_page(StatusCode::GONE, "This link no longer works", &i.to_string())),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    password: String,
}

pub async fn invitation_submit(State(app): State<App>, Path(token): Path<String>, Form(f): Form<AcceptForm>) -> PageResult {
    match app.accept_invitation(&token, &f.password).await {
        Ok(session) => Ok(signed_in_redirect(&app, &session.token, "/meetings")),
        Err(AppError::Invalid(errors)) if errors.message_for("token").is_none() => {
            let p = app.invitation(&token).await?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &AcceptPage { c: Chrome::bare("Welcome"), token, name: p.name, email: p.email, errors },
            ))
        }
        Err(AppError::Invalid(i)) => Ok(crate::web::error::error_page(StatusCode::GONE, "This link no longer works", &i.to_string())),
        Err(e) => Err(e.into()),
    }
}
