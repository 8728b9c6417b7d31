from wtforms.validators import ValidationError


def strong_password(form, field):
    if field.data.isdigit():
        raise ValidationError("Use letters too.")
