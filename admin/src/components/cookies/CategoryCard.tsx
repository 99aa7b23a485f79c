import * as React from 'react';
import {
  Badge,
  Box,
  Button,
  Dialog,
  Flex,
  IconButton,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowDown, ArrowUp, Pencil, Plus, Trash } from '@strapi/icons';
import { ConfirmDialog } from '@strapi/strapi/admin';
import { type MessageDescriptor, useIntl } from 'react-intl';

import type { CategoryText, ConsentModeSignal, DefinitionText, StorageType } from '../../api';
import { t } from '../../utils/getTranslation';
import { localised } from '../../utils/localised';
import { Panel } from '../Panel';
import { saleShareOf } from '../../../../server/src/regions/categories';

/** What both the editable declaration and a frozen revision's snapshot have of a category. */
export interface CategoryLike {
  key: string;
  required: boolean;
  consentMode: ConsentModeSignal[];
  refusedUnderGpc: boolean;
  c15tType?: string;
  saleShare?: boolean;
  locales: Record<string, CategoryText>;
}

/** What both have of a cookie; `documentId` only while it is editable. */
export interface CookieLike {
  documentId?: string;
  name: string;
  provider: string;
  domain: string;
  storageType: StorageType;
  thirdParty: boolean;
  service: string;
  locales: Record<string, DefinitionText>;
}

export const STORAGE_LABELS: Record<StorageType, MessageDescriptor> = {
  cookie: t('cookies.storage.cookie', 'Cookie'),
  localStorage: t('cookies.storage.localStorage', 'Local storage'),
  sessionStorage: t('cookies.storage.sessionStorage', 'Session storage'),
  indexedDB: t('cookies.storage.indexedDB', 'IndexedDB'),
  pixel: t('cookies.storage.pixel', 'Pixel'),
};

/** What an editor holding `cookies.manage` can do to a category and its cookies. */
export interface CategoryActions {
  isFirst: boolean;
  isLast: boolean;
  onMove: (by: -1 | 1) => void;
  onEdit: () => void;
  onDelete: () => void;
  onAddCookie: () => void;
  onMoveCookie: (index: number, by: -1 | 1) => void;
  onEditCookie: (index: number) => void;
  onDeleteCookie: (index: number) => void;
}

interface CategoryCardProps {
  category: CategoryLike;
  cookies: CookieLike[];
  locale: string;
  defaultLocale: string;
  /** Absent: read-only (a reader, or a frozen revision). */
  actions?: CategoryActions;
}

/** "(not translated into fi)" after a text shown in the default language instead. */
const FallbackNote = ({ locale }: { locale: string }) => {
  const { formatMessage } = useIntl();
  return (
    <Typography variant="pi" textColor="warning600" tag="span" data-testid="privacy-centre-cookies-fallback">
      {' '}
      {formatMessage(t('cookies.notTranslated', '(not translated into {locale})'), { locale })}
    </Typography>
  );
};

/**
 * One category of the declaration with its cookies, in one language: what it is, whether it is
 * required, the Consent Mode signals it grants and how Global Privacy Control treats it. With
 * `actions` it also offers moving, editing and deleting the category and its cookies.
 */
export const CategoryCard = ({ category, cookies, locale, defaultLocale, actions }: CategoryCardProps) => {
  const { formatMessage } = useIntl();
  const { text, fallback } = localised(category.locales, locale, defaultLocale);
  const label = text?.name || category.key;
  const headingId = `privacy-centre-cookie-category-${category.key}`;

  const columns = [
    t('cookies.column.name', 'Name'),
    t('cookies.column.provider', 'Provider'),
    t('cookies.column.storage', 'Storage'),
    t('cookies.column.purpose', 'Purpose'),
    t('cookies.column.duration', 'Duration'),
    ...(actions ? [t('policies.column.actions', 'Actions')] : []),
  ];

  return (
    <Panel tag="section" aria-labelledby={headingId} data-testid="privacy-centre-cookie-category" data-key={category.key}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between" alignItems="flex-start" gap={4} wrap="wrap">
          <Flex direction="column" alignItems="flex-start" gap={2}>
            <Flex gap={2} alignItems="baseline" wrap="wrap">
              <Typography variant="delta" tag="h2" id={headingId}>
                {label}
              </Typography>
              <Typography variant="pi" textColor="neutral600" tag="code" style={{ fontFamily: 'monospace' }}>
                {category.key}
              </Typography>
              {fallback && text && <FallbackNote locale={locale} />}
            </Flex>
            {text?.description && (
              <Typography textColor="neutral800" tag="p" style={{ whiteSpace: 'pre-line' }}>
                {text.description}
              </Typography>
            )}
            <Flex gap={2} wrap="wrap">
              {category.required ? (
                <Badge variant="success">{formatMessage(t('cookies.required', 'Required: always granted'))}</Badge>
              ) : (
                <Badge>{formatMessage(t('cookies.optional', 'Optional: visitors choose'))}</Badge>
              )}
              {category.refusedUnderGpc && (
                <Badge variant="warning">{formatMessage(t('cookies.gpc.refused', 'Refused under Global Privacy Control'))}</Badge>
              )}
              {saleShareOf(category) && (
                <Badge variant="warning" data-testid="privacy-centre-cookie-sale-share">
                  {formatMessage(t('cookies.saleShare', 'Sells or shares (refused by a Do Not Sell opt-out)'))}
                </Badge>
              )}
              {category.consentMode.map((signal) => (
                <Badge key={signal} variant="secondary" data-testid="privacy-centre-cookie-consent-mode">
                  {signal}
                </Badge>
              ))}
            </Flex>
          </Flex>
          {actions && <CategoryToolbar category={category} label={label} hasCookies={cookies.length > 0} actions={actions} />}
        </Flex>
        {cookies.length === 0 ? (
          <Typography textColor="neutral600" tag="p">
            {formatMessage(t('cookies.category.empty', 'No cookie in this category.'))}
          </Typography>
        ) : (
          <Table colCount={columns.length} rowCount={cookies.length + 1}>
            <Thead>
              <Tr>
                {columns.map((column) => (
                  <Th key={column.id}>
                    <Typography variant="sigma">{formatMessage(column)}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {cookies.map((cookie, index) => (
                <CookieRow
                  key={cookie.documentId ?? `${cookie.name}-${index}`}
                  cookie={cookie}
                  index={index}
                  count={cookies.length}
                  locale={locale}
                  defaultLocale={defaultLocale}
                  actions={actions}
                />
              ))}
            </Tbody>
          </Table>
        )}
        {actions && (
          <Box>
            <Button variant="secondary" size="S" startIcon={<Plus />} onClick={actions.onAddCookie} data-testid="privacy-centre-cookie-add">
              {formatMessage(t('cookies.cookie.add', 'Add a cookie'))}
            </Button>
          </Box>
        )}
      </Flex>
    </Panel>
  );
};

const CategoryToolbar = ({
  category,
  label,
  hasCookies,
  actions,
}: {
  category: CategoryLike;
  label: string;
  hasCookies: boolean;
  actions: CategoryActions;
}) => {
  const { formatMessage } = useIntl();
  return (
    <Flex gap={1}>
      <IconButton
        label={formatMessage(t('cookies.category.moveUp', 'Move {category} up'), { category: label })}
        variant="ghost"
        disabled={actions.isFirst}
        onClick={() => actions.onMove(-1)}
      >
        <ArrowUp />
      </IconButton>
      <IconButton
        label={formatMessage(t('cookies.category.moveDown', 'Move {category} down'), { category: label })}
        variant="ghost"
        disabled={actions.isLast}
        onClick={() => actions.onMove(1)}
      >
        <ArrowDown />
      </IconButton>
      <IconButton
        label={formatMessage(t('cookies.category.edit', 'Edit {category}'), { category: label })}
        variant="ghost"
        onClick={actions.onEdit}
        data-testid="privacy-centre-cookie-category-edit"
      >
        <Pencil />
      </IconButton>
      {/* The server refuses to delete a category that still has cookies: say so before asking. */}
      {hasCookies ? (
        <IconButton
          label={formatMessage(t('cookies.category.deleteBlocked', 'Move or delete its cookies before deleting {category}'), {
            category: label,
          })}
          variant="ghost"
          disabled
        >
          <Trash />
        </IconButton>
      ) : (
        <Dialog.Root>
          <Dialog.Trigger>
            <IconButton
              label={formatMessage(t('cookies.category.delete', 'Delete {category}'), { category: label })}
              variant="ghost"
              data-testid="privacy-centre-cookie-category-delete"
            >
              <Trash />
            </IconButton>
          </Dialog.Trigger>
          <ConfirmDialog onConfirm={actions.onDelete}>
            {formatMessage(
              t(
                'cookies.category.delete.body',
                'Delete the category {category} ({key})? Published revisions keep it; the next revision will not offer it to visitors.'
              ),
              { category: label, key: category.key }
            )}
          </ConfirmDialog>
        </Dialog.Root>
      )}
    </Flex>
  );
};

interface CookieRowProps {
  cookie: CookieLike;
  index: number;
  count: number;
  locale: string;
  defaultLocale: string;
  actions?: CategoryActions;
}

const CookieRow = ({ cookie, index, count, locale, defaultLocale, actions }: CookieRowProps) => {
  const { formatMessage } = useIntl();
  const { text, fallback } = localised(cookie.locales, locale, defaultLocale);
  const party = formatMessage(cookie.thirdParty ? t('cookies.party.third', 'Third party') : t('cookies.party.first', 'First party'));
  return (
    <Tr data-testid="privacy-centre-cookie-row" data-name={cookie.name}>
      <Td>
        <Typography fontWeight="semiBold" tag="code" style={{ fontFamily: 'monospace' }}>
          {cookie.name}
        </Typography>
        {cookie.domain && (
          <Typography variant="pi" textColor="neutral600" tag="div">
            {cookie.domain}
          </Typography>
        )}
      </Td>
      <Td>
        <Typography textColor="neutral800">{cookie.provider || '–'}</Typography>
        <Typography variant="pi" textColor="neutral600" tag="div">
          {[party, cookie.service].filter(Boolean).join(' · ')}
        </Typography>
      </Td>
      <Td>
        <Typography textColor="neutral800">{formatMessage(STORAGE_LABELS[cookie.storageType] ?? STORAGE_LABELS.cookie)}</Typography>
      </Td>
      <Td style={{ whiteSpace: 'normal', maxWidth: '36rem' }}>
        <Typography textColor="neutral800">{text?.purpose || '–'}</Typography>
        {fallback && text && <FallbackNote locale={locale} />}
      </Td>
      <Td>
        <Typography textColor="neutral800">{text?.duration || '–'}</Typography>
      </Td>
      {actions && (
        <Td>
          <Flex gap={1}>
            <IconButton
              label={formatMessage(t('cookies.cookie.moveUp', 'Move {cookie} up'), { cookie: cookie.name })}
              variant="ghost"
              disabled={index === 0}
              onClick={() => actions.onMoveCookie(index, -1)}
            >
              <ArrowUp />
            </IconButton>
            <IconButton
              label={formatMessage(t('cookies.cookie.moveDown', 'Move {cookie} down'), { cookie: cookie.name })}
              variant="ghost"
              disabled={index === count - 1}
              onClick={() => actions.onMoveCookie(index, 1)}
            >
              <ArrowDown />
            </IconButton>
            <IconButton
              label={formatMessage(t('cookies.cookie.edit', 'Edit {cookie}'), { cookie: cookie.name })}
              variant="ghost"
              onClick={() => actions.onEditCookie(index)}
              data-testid="privacy-centre-cookie-edit"
            >
              <Pencil />
            </IconButton>
            <Dialog.Root>
              <Dialog.Trigger>
                <IconButton
                  label={formatMessage(t('cookies.cookie.delete', 'Delete {cookie}'), { cookie: cookie.name })}
                  variant="ghost"
                  data-testid="privacy-centre-cookie-delete"
                >
                  <Trash />
                </IconButton>
              </Dialog.Trigger>
              <ConfirmDialog onConfirm={() => actions.onDeleteCookie(index)}>
                {formatMessage(
                  t(
                    'cookies.cookie.delete.body',
                    'Delete {cookie} from the declaration? Published revisions keep it; the next revision will not list it.'
                  ),
                  { cookie: cookie.name }
                )}
              </ConfirmDialog>
            </Dialog.Root>
          </Flex>
        </Td>
      )}
    </Tr>
  );
};
