from django.urls import path

from mim.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.return_list, name="list"),
    path("termijnen/", views.deadlines, name="deadlines"),
    # The office: which sites the year's report waits for; not delivered; ending a site.
    path("wachten/", views.waiting, name="waiting"),
    path("locaties/<slug:code>/beeindigen/", views.end_site, name="end_site"),
    # The coordinator's own return (record_site: 404 for any other site).
    path("locatie/<slug:code>/<int:year>/", views.site_return, name="site"),
    path("locatie/<slug:code>/<int:year>/starten/", views.start, name="start"),
    path("locatie/<slug:code>/<int:year>/gegevens/", views.facts, name="facts"),
    path("locatie/<slug:code>/<int:year>/bron/", views.source, name="source"),
    path("locatie/<slug:code>/<int:year>/totaalcijfers/", views.aggregate, name="aggregate"),
    path("locatie/<slug:code>/<int:year>/totaalcijfers.csv", views.aggregate_template,
         name="aggregate_template"),
    path("locatie/<slug:code>/<int:year>/indienen/", views.submit, name="submit"),
    path("locatie/<slug:code>/<int:year>/cijfers-bijwerken/", views.refresh, name="refresh"),
    path("locatie/<slug:code>/<int:year>/antwoorden/", views.answer, name="answer"),
    # The programme office's review.
    path("beoordelen/<slug:code>/<int:year>/", views.review, name="review"),
    path("beoordelen/<slug:code>/<int:year>/vraag/", views.query, name="query"),
    path("beoordelen/<slug:code>/<int:year>/goedkeuren/", views.approve, name="approve"),
    path("beoordelen/<slug:code>/<int:year>/heropenen/", views.reopen, name="reopen"),
    path("beoordelen/<slug:code>/<int:year>/niet-aangeleverd/", views.not_delivered,
         name="not_delivered"),
]
