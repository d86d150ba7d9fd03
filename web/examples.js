// A row of "Example N" buttons that put an example into the panel's input and run it.
export function exampleButtons(container, examples, use) {
  container.replaceChildren(...examples.map((text, i) => {
    const button = document.createElement('button');
    button.textContent = `Example ${i + 1}`;
    button.addEventListener('click', () => use(text));
    return button;
  }));
}
