import * as React from 'react';
import { Button, Flex, Modal } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import { t } from '../utils/getTranslation';

interface FormModalProps {
  /** `data-testid` of the form. */
  testId: string;
  title: React.ReactNode;
  submitLabel: React.ReactNode;
  submitTestId?: string;
  /** False while the form is incomplete or invalid: the submit button is disabled and Enter does nothing. */
  canSubmit: boolean;
  isSubmitting: boolean;
  onSubmit: () => void;
  onClose: () => void;
  children: React.ReactNode;
}

/**
 * The frame of the plugin's form dialogs: an open modal (Escape, the close button and Cancel
 * all call `onClose`), a title, the fields one under the other, Cancel and a submit button. The
 * submit runs only when `canSubmit` and not already submitting, also when sent with Enter.
 */
export const FormModal = ({
  testId,
  title,
  submitLabel,
  submitTestId,
  canSubmit,
  isSubmitting,
  onSubmit,
  onClose,
  children,
}: FormModalProps) => {
  const { formatMessage } = useIntl();
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (canSubmit && !isSubmitting) onSubmit();
  };
  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} noValidate data-testid={testId}>
          <Modal.Header>
            <Modal.Title>{title}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={5}>
              {children}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{formatMessage(t('common.cancel', 'Cancel'))}</Button>
            </Modal.Close>
            <Button type="submit" loading={isSubmitting} disabled={!canSubmit} data-testid={submitTestId}>
              {submitLabel}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
