from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired

from ..policy import strong_password


class StaffForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired()])
    role = SelectField("Role", choices=[("nurse", "Nurse"), ("doctor", "Doctor")])
    password = PasswordField("Initial password", validators=[DataRequired(), strong_password])  # unclear: password-policy

    def validate_name(self, field):
        if field.data.strip() != field.data:
            raise ValueError("No surrounding spaces")


class UserProfileForm(FlaskForm):
    name = StringField("Name")
    password = PasswordField("New password (leave empty to keep)")  # unclear: password-policy
