"""``makemessages`` that also extracts the project's lazy-gettext aliases.

Several modules import ``gettext_lazy as _l`` or ``as _lazy``; xgettext only knows ``_``,
``gettext``, ``gettext_lazy``… by default, so without these keywords their strings would never reach
the .po files (and would stay French in every language).
"""

from django.core.management.commands.makemessages import Command as BaseCommand


class Command(BaseCommand):
    xgettext_options = [*BaseCommand.xgettext_options, "--keyword=_l", "--keyword=_lazy"]
