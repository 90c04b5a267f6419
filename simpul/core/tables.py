"""Base table for every list page: sortable columns, links, column choice, and fast row rendering."""

import html

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2 import utils as tables_utils
from django_tables2.data import TableQuerysetData
from django_tables2.utils import AttributeDict

from simpul.core import formats, paging


class BaseTable(tables.Table):
    """Columns listed in Meta.default_columns show by default; users may pick others (kept in session)."""

    class Meta:
        template_name = "core/table.html"
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}
        empty_text = _("No records match. Change the filter or add a new record.")

    # Not shown by default; an export with it matches its rows to the API and to the record pages.
    id = tables.Column(verbose_name=_("ID"))

    default_columns: tuple[str, ...] = ()
    # The column that titles a row's card on a phone; by default the first column linked to a record.
    card_title: str | None = None

    @classmethod
    def column_choices(cls) -> list[tuple[str, str]]:
        # Model-field columns learn their verbose name only when bound, so ask a bound (empty) table.
        model = cls._meta.model
        table = cls(model._default_manager.none() if model else [], visible_columns=list(cls.base_columns))
        return [(column.name, str(column.header)) for column in table.columns.all()]

    def __init__(self, data=None, *args, visible_columns=None, same_rows=None, **kwargs):
        all_columns = list(type(self).base_columns)
        chosen = [c for c in (visible_columns or self.default_columns or all_columns) if c in all_columns]
        kwargs.setdefault("exclude", [c for c in all_columns if c not in chosen])
        if TableQuerysetData.validate(data):
            data = PagedQuerysetData(data, same_rows)
        super().__init__(data, *args, **kwargs)
        self.visible_column_names = chosen
        self._label_cells_for_cards()

    def _label_cells_for_cards(self) -> None:
        """Let the core stylesheet show each row as a card on a phone (`.table-cards` in simpul.css).

        Every cell says its column's header (`data-label`, shown beside the value); the card's title
        (`data-card-title`) is the `card_title` column, else the first column linked to a record, else the
        first column. The attributes go into the columns' own `td` attributes, so django-tables2's template
        and `rendered_rows` write the same markup, and every list table gets them without its module
        doing anything.
        """
        self.attrs["class"] = " ".join(dict.fromkeys([*str(self.attrs.get("class", "")).split(), "table-cards"]))
        # The phone shows the sortable headers as a row of links above the cards, under this label.
        self.attrs["thead"] = AttributeDict({**self.attrs.get("thead", {}), "data-sort-label": _("Sort by")})
        columns = list(self.columns)
        # A link to a record, not a URL or e-mail column (those link out by `get_url`).
        linked = (c for c in columns if c.link is not None and not hasattr(c.column, "get_url"))
        chosen = (c for c in columns if c.name == self.card_title)
        title = next(chosen, None) or next(linked, columns[0] if columns else None)
        for column in columns:
            # django-tables2 takes a column's cell attributes from the column's "td", else its "cell", else
            # the table's "td" or "cell" (`BoundColumn.attrs`); add to the one that applies.
            merged = {**self.attrs, **column.column.attrs}
            td = dict(merged.get("td", merged.get("cell", {})))
            td["data-label"] = strip_tags(str(column.header or ""))
            if column is title:
                td["data-card-title"] = ""
            column.column.attrs = {**column.column.attrs, "td": td}

    def rendered_rows(self) -> list[SafeString]:
        """The current page's rows as ready `<tr>` HTML, the same markup django-tables2's template writes.

        The template loop per cell (attributes recomputed for every cell, a `{% if %}` per cell) cost
        about as much as computing the cells; a 100-row page spent most of its time there. Cell values
        come from `BoundRow.get_cell`, except for plain field columns (see `_plain_field_readers`), so
        columns render and link exactly as before. A list, not a generator: consumed by the template's
        `{% for %}`, the generator measured three times slower.
        """
        columns = list(self.columns)
        readers = self._plain_field_readers(columns)
        # A column's <td> attributes are the same on every row unless some attribute is computed
        # from the record; only those columns are recomputed per cell, as django-tables2 does.
        static_td = {
            column.name: column.attrs["td"].as_html() for column in columns if not self._td_depends_on_row(column)
        }
        rows = []
        for row in self.paginated_rows:
            cells = []
            for column in columns:
                reader = readers.get(column.name)
                value = row.get_cell(column.name) if reader is None else reader(row.record)
                td = static_td.get(column.name)
                if td is None:
                    column.current_value, column.current_record = value, row.record
                    td = column.attrs["td"].as_html()
                # As `{{ value }}` shows it: a moment in local time (Django's localize alone wrote it in UTC).
                cells.append(f"<td {td}>{_escape(formats.localized(value, use_l10n=column.localize))}</td>")
            # The attributes come as safe HTML from django-tables2 and every cell is escaped above; Django's
            # format_html with its lazy-string wrappers cost ~0.1 ms per cell on a 100-row page.
            rows.append(mark_safe(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>"))
        return rows

    def _plain_field_readers(self, columns) -> dict:
        """Cell readers for columns that only show a model field: {column name: record -> cell value}.

        `BoundRow.get_cell` resolves the accessor, asks the field for its choices (Django rebuilds the
        choices dict on every `get_FOO_display`), inspects the render function and looks for a link, for
        every cell: about 50 µs. A plain `Column` (not a subclass, no `render_<name>` on the table) over a
        concrete field of the table's model shows the same thing as: the choice label, the related
        record, or the value; the column's default when that is empty. With `linkify=True` (and nothing
        else about the link) the value links to the related record's page, or else the row's.
        """
        model = self._meta.model
        readers = {}
        for column in columns:
            accessor = str(column.accessor)
            link = column.link
            plain_link = (
                link is not None
                and link.url is None
                and not link.reverse_args
                and not link.attrs
                and link.accessor is None
            )
            if (
                model is None
                or type(column.column) is not tables.Column
                or hasattr(self, f"render_{column.name}")
                or (link is not None and not plain_link)
                or "__" in accessor
                or "." in accessor
            ):
                continue
            try:
                field = model._meta.get_field(accessor)
            except FieldDoesNotExist:
                continue
            if not field.concrete or field.many_to_many or field.one_to_many:
                continue
            readers[column.name] = _field_reader(field, column.default, column.column.empty_values, linked=plain_link)
        return readers

    def _td_depends_on_row(self, column) -> bool:
        attrs = {**self.attrs, **column.column.attrs}
        td = attrs.get("td", attrs.get("cell", {}))
        return any(callable(value) for value in td.values())


class PagedQuerysetData(TableQuerysetData):
    """A table's queryset, paged in a fixed order and read cheaply deep into the list (`core.paging`).

    The order always ends with the primary key: sorted by a column that repeats (a name used by many
    instansi, an owner, a status), the database may order equal rows differently from one page's query
    to the next, so a row could show on two pages and another on none. `same_rows` is the filter set's
    (`BaseFilterSet.same_rows`).
    """

    def __init__(self, data, same_rows=None):
        super().__init__(data)
        self.same_rows = same_rows

    def __len__(self):
        if self.same_rows is not None and getattr(self, "_length", None) is None:
            self._length = paging.count(self.data, self.same_rows)
        return super().__len__()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1) or key.stop is None:
            return paging.ordered_like(self.data, self.data)[key]
        return paging.rows(self.data, key.start or 0, key.stop, self.same_rows)

    def __iter__(self):
        return iter(paging.ordered_like(self.data, self.data))


def _field_reader(field, default, empty_values, linked=False):
    if field.choices:
        # Labels in the language of this request, as get_FOO_display gives them; an unknown value shows as is.
        labels = {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}
        attname = field.attname

        def get(record):
            raw = getattr(record, attname)
            return labels.get(make_hashable(raw), raw)

    else:
        name = field.name

        def get(record):
            return getattr(record, name)

    def read(record):
        value = get(record)
        if value in empty_values:
            return default
        if not linked:
            return value
        target = value if hasattr(value, "get_absolute_url") else record
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), value)

    return read


def _escape(value) -> str:
    """Django's conditional_escape (which is the standard library's html.escape), without its lazy wrapper."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


_library_signature = tables_utils.signature
_signatures: dict = {}
SIGNATURE_CACHE_SIZE = 4096


def _remembered_signature(function):
    """django-tables2's `signature`, remembered per function: it calls `inspect.signature` for every cell
    and every computed attribute, a sixth of a 100-row page. A bound method has the signature of its
    function without `self`, whichever instance it is bound to, so the function and "bound or not" are
    the key."""
    try:
        key = (getattr(function, "__func__", function), hasattr(function, "__func__"))
        return _signatures[key]
    except TypeError:  # an unhashable callable
        return _library_signature(function)
    except KeyError:
        if len(_signatures) >= SIGNATURE_CACHE_SIZE:
            # Tables built at run time with fresh lambdas must not grow this without end.
            _signatures.clear()
        _signatures[key] = result = _library_signature(function)
        return result


def remember_signatures() -> None:
    """Install the remembered signature in django-tables2 (called once, from CoreConfig.ready)."""
    tables_utils.signature = _remembered_signature
