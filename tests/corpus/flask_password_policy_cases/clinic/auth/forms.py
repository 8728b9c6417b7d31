from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])  # ok: password-policy
    remember = BooleanField("Remember me")


class RegistrationForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired()])  # expect: password-policy
    confirm = PasswordField("Repeat password", validators=[EqualTo("password")])  # ok: password-policy


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])  # ok: password-policy
    new_password = PasswordField(  # ok: password-policy
        "New password",
        validators=[DataRequired(), Length(min=10, max=128)],
    )
    new_password2 = PasswordField("Repeat", validators=[EqualTo("new_password")])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=6)])  # expect: password-policy


class PinForm(FlaskForm):
    password = PasswordField("Set a PIN", validators=[DataRequired(), Regexp(r"^\d{6,}$")])  # ok: password-policy


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Confirm with your password", validators=[DataRequired()])  # ok: password-policy
