"""Signed-cookie sessions that stay out of public, cacheable answers.

Flask-Login reads the session on every request, and Flask then adds `Vary: Cookie` to the answer: a CDN
would cache every tile, export and script once per visitor's cookie, and could not share them at all. An
answer that says it is public (`Cache-Control: public`) is the same for everyone, so it neither varies on
nor sets the session cookie, unless the request really changed the session.
"""

from flask.sessions import SecureCookieSessionInterface


class PublicAnswerAwareSessionInterface(SecureCookieSessionInterface):
    def save_session(self, app, session, response) -> None:
        if response.cache_control.public and not session.modified:
            return
        super().save_session(app, session, response)
