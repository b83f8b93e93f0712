def test_payment_means_read_as_words_ours_and_imported_ones():
    from accountdesk.billing.models import PaymentMeans

    assert PaymentMeans.label_of("bank_transfer") == "Bank transfer"
    assert PaymentMeans.label_of("cheque") == "Cheque"
    assert PaymentMeans.label_of("mobile_money") == "Mobile money"
    assert PaymentMeans.label_of("") == ""
