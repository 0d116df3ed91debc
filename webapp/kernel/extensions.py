"""The Flask extensions, created unbound here and bound to the app in create_app()."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Session(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session, except that a bind given to the session itself wins over the engine it
    picks by table, as in SQLAlchemy's own `Session.get_bind` (Flask-SQLAlchemy 3 dropped that:
    pallets-eco/flask-sqlalchemy#1167). The app never gives one; the tests' `db_session` binds the session to
    the connection whose transaction they roll back."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
