from django import forms


def parse_iban(value):
    cleaned = value.replace(" ", "").upper()
    if len(cleaned) < 15 or not cleaned[:2].isalpha():
        raise ValueError("This is not an IBAN.")
    return cleaned


class BankAccountForm(forms.Form):
    holder = forms.CharField(max_length=120)
    iban = forms.CharField(max_length=42)

    def clean_iban(self):
        try:
            return parse_iban(self.cleaned_data["iban"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))  # ok: error-leak
