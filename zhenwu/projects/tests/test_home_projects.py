"""/projects/: the module's start page with counts, scoped."""

from django.urls import reverse

from zhenwu.projects.tests.support_projects import make_project


def test_home_counts_scoped(client, township_officer, luotian, makou, luotian_cadre):
    make_project(township_officer, luotian, code="LT-1")
    make_project(township_officer, makou, code="MK-1")
    client.force_login(township_officer)
    page = client.get(reverse("projects:home")).content.decode()
    assert 'data-count="projects">2<' in page
    assert reverse("projects:project_list") in page
    client.force_login(luotian_cadre)
    page = client.get(reverse("projects:home")).content.decode()
    assert 'data-count="projects">1<' in page
