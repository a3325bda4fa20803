"""The reporter's home page: their work (owed reports, returned reports, open problems)."""

from django.shortcuts import render

from milestones.reporter_work import reporter_work


def reporter_home(request):
    """Served at / for a user whose strongest role is 填报员 (see portal.views.home)."""
    return render(
        request, "milestones/reporter_home.html", {"work": reporter_work(user=request.user)}
    )
